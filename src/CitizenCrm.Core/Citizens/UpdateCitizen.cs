using CitizenCrm.Core.Common;
using CitizenCrm.Core.DataProtection.Erasure;
using CitizenCrm.Core.Storage;
using CitizenCrm.Core.Timeline;
using Mediator;

namespace CitizenCrm.Core.Citizens;

/// <summary>
/// A clerk corrects a citizen's details (the national ID is not changed here: a wrong ID is a new registration).
/// With <see cref="ExpectedVersion"/>, a record changed meanwhile by someone else is refused instead of overwritten.
/// </summary>
public sealed record UpdateCitizen(Guid CitizenId, CitizenDetails? Details, int? ExpectedVersion = null) : ICommand<Citizen>, IValidatable
{
    public void Validate(Validation v)
    {
        if (Details is null) v.Add("details", "The citizen's details are required.");
        else Details.Validate(v);
    }
}

public sealed class UpdateCitizenHandler(UnitOfWork uow, Timeline.Timeline timeline, TimeProvider clock)
    : ICommandHandler<UpdateCitizen, Citizen>
{
    private const string Load = "SELECT " + CitizenRow.Columns + " FROM citizens WHERE id = @Id";
    private const string Update = """
        UPDATE citizens SET first_name = @FirstName, last_name = @LastName, date_of_birth = @DateOfBirth,
               address = @Address, preferred_language = @PreferredLanguage, phones = @Phones, emails = @Emails,
               updated_at = @UpdatedAt, version = version + 1
        WHERE id = @Id AND version = @Version
        """;

    public async ValueTask<Citizen> Handle(UpdateCitizen command, CancellationToken ct)
    {
        var current = await uow.QuerySingleOrDefaultAsync<CitizenRow>(Load, new { Id = command.CitizenId }, ct)
            ?? throw new NotFoundException("citizen", command.CitizenId);
        await ErasedCitizens.ThrowIfErasedAsync(uow, command.CitizenId, ct);
        if (command.ExpectedVersion is { } expected && expected != current.Version)
            throw new ConflictException($"Someone else changed this citizen meanwhile (version {current.Version}, you edited version {expected}). Reload and apply your change again.",
                "Changed by someone else");
        var d = command.Details!;
        if (current.IdType == IdTypes.Cnp && d.DateOfBirth is { } dob && !Cnp.BirthDateReadings(current.NationalId, Calendar.Today(clock)).Contains(dob))
            throw ValidationFailedException.For("dateOfBirth", "The date of birth does not match the one inside the CNP.");

        var next = current with
        {
            FirstName = d.FirstName!.Trim(),
            LastName = d.LastName!.Trim(),
            DateOfBirth = d.DateOfBirth ?? current.DateOfBirth,
            Address = d.Address?.Trim(),
            PreferredLanguage = d.PreferredLanguage ?? current.PreferredLanguage,
            Phones = Json.Serialize(d.NormalizedPhones()),
            Emails = Json.Serialize(d.NormalizedEmails()),
            UpdatedAt = clock.GetUtcNow().ToUnixTimeMilliseconds(),
            Version = current.Version + 1,
        };
        var changed = new List<string>();
        if (next.FirstName != current.FirstName || next.LastName != current.LastName) changed.Add("name");
        if (next.DateOfBirth != current.DateOfBirth) changed.Add("date of birth");
        if (next.Address != current.Address) changed.Add("address");
        if (next.PreferredLanguage != current.PreferredLanguage) changed.Add("language");
        if (next.Phones != current.Phones) changed.Add("phones");
        if (next.Emails != current.Emails) changed.Add("e-mails");
        if (changed.Count == 0) return current.ToCitizen();
        // The columns changed, by name, so a rectification (GDPR art. 16) can be traced field by field.
        string?[] fields =
        [
            next.FirstName != current.FirstName ? "first_name" : null, next.LastName != current.LastName ? "last_name" : null,
            next.DateOfBirth != current.DateOfBirth ? "date_of_birth" : null, next.Address != current.Address ? "address" : null,
            next.PreferredLanguage != current.PreferredLanguage ? "preferred_language" : null,
            next.Phones != current.Phones ? "phones" : null, next.Emails != current.Emails ? "emails" : null,
        ];

        var rows = await uow.ExecuteAsync(Update, new
        {
            next.FirstName, next.LastName, next.DateOfBirth, next.Address, next.PreferredLanguage, next.Phones,
            next.Emails, next.UpdatedAt, Id = command.CitizenId, current.Version,
        }, ct);
        if (rows == 0) throw new ConflictException("Someone else changed this citizen meanwhile. Reload and try again.", "Changed by someone else");
        await CitizenLookups.WriteAsync(uow, command.CitizenId, d, replace: true, ct);
        await timeline.AppendAsync(new TimelineEntry
        {
            Kind = "citizen.updated",
            Channel = Channels.Desk,
            Summary = $"Details corrected: {string.Join(", ", changed)}",
            CitizenId = command.CitizenId,
            Payload = new { Changed = changed, Fields = fields.OfType<string>().ToArray() },
        }, ct);
        return next.ToCitizen();
    }
}
