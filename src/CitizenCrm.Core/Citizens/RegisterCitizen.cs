using CitizenCrm.Core.Common;
using CitizenCrm.Core.Storage;
using CitizenCrm.Core.Timeline;
using Mediator;

namespace CitizenCrm.Core.Citizens;

/// <summary>
/// A clerk registers a citizen. A CNP is checked by its checksum, its date and its county code here, and in the handler,
/// which knows today's date, that the birth is not after today and matches the date of birth given.
/// </summary>
public sealed record RegisterCitizen(string? IdType, string? NationalId, CitizenDetails? Details, string Channel = Channels.Desk)
    : ICommand<Citizen>, IValidatable
{
    public void Validate(Validation v)
    {
        var type = IdType ?? IdTypes.Cnp;
        if (!IdTypes.All.Contains(type)) v.Add("idType", "The ID type must be cnp, passport or foreign_id.");
        if (v.Required("nationalId", NationalId, "The national ID"))
        {
            if (type == IdTypes.Cnp && Cnp.Problem(NationalId) is { } problem) v.Add("nationalId", problem);
            else if (type != IdTypes.Cnp && (NationalId!.Trim().Length is < 4 or > 32 || !NationalId.Trim().All(char.IsAsciiLetterOrDigit)))
                v.Add("nationalId", "A passport or foreign ID has 4 to 32 letters and digits.");
        }
        if (Details is null) { v.Add("details", "The citizen's details are required."); return; }
        Details.Validate(v);
        if (!Channels.All.Contains(Channel)) v.Add("channel", $"Unknown channel '{Channel}'.");
    }
}

public sealed class RegisterCitizenHandler(UnitOfWork uow, Timeline.Timeline timeline, TimeProvider clock)
    : ICommandHandler<RegisterCitizen, Citizen>
{
    private const string FindExisting = "SELECT id FROM citizens WHERE id_type = @IdType AND national_id = @NationalId";
    private const string Insert = """
        INSERT INTO citizens (id, id_type, national_id, first_name, last_name, date_of_birth, address,
                              preferred_language, phones, emails, created_at, updated_at, version)
        VALUES (@Id, @IdType, @NationalId, @FirstName, @LastName, @DateOfBirth, @Address,
                @PreferredLanguage, @Phones, @Emails, @Now, @Now, 1)
        """;

    public async ValueTask<Citizen> Handle(RegisterCitizen command, CancellationToken ct)
    {
        var idType = command.IdType ?? IdTypes.Cnp;
        var nationalId = command.NationalId!.Trim().ToUpperInvariant();
        var d = command.Details!;
        DateOnly? birthFromCnp = null;
        if (idType == IdTypes.Cnp)
        {
            // The birth date inside the CNP is checked against today's date in Bucharest (the legal calendar).
            var today = Calendar.Today(clock);
            if (Cnp.Problem(nationalId, today) is { } problem) throw ValidationFailedException.For("nationalId", problem);
            var readings = Cnp.BirthDateReadings(nationalId, today);
            if (d.DateOfBirth is { } dob && !readings.Contains(dob))
                throw ValidationFailedException.For("dateOfBirth", "The date of birth does not match the one inside the CNP.");
            birthFromCnp = readings[0];
        }
        if (await uow.QuerySingleOrDefaultAsync<Guid?>(FindExisting, new { IdType = idType, NationalId = nationalId }, ct) is { } existing)
            throw new ConflictException($"A citizen with this {(idType == IdTypes.Cnp ? "CNP" : "ID")} is already registered (citizen {existing}). Open that record instead.",
                "Citizen already registered");

        var id = Guid.NewGuid();
        var now = clock.GetUtcNow();
        var row = new CitizenRow
        {
            Id = id,
            IdType = idType,
            NationalId = nationalId,
            FirstName = d.FirstName!.Trim(),
            LastName = d.LastName!.Trim(),
            DateOfBirth = d.DateOfBirth ?? birthFromCnp,
            Address = d.Address?.Trim(),
            PreferredLanguage = d.PreferredLanguage ?? "ro",
            Phones = Json.Serialize(d.NormalizedPhones()),
            Emails = Json.Serialize(d.NormalizedEmails()),
            CreatedAt = now.ToUnixTimeMilliseconds(),
            UpdatedAt = now.ToUnixTimeMilliseconds(),
            Version = 1,
        };
        await uow.ExecuteAsync(Insert, new
        {
            row.Id, row.IdType, row.NationalId, row.FirstName, row.LastName, row.DateOfBirth, row.Address,
            row.PreferredLanguage, row.Phones, row.Emails, Now = row.CreatedAt,
        }, ct);
        await CitizenLookups.WriteAsync(uow, id, d, replace: false, ct);
        await timeline.AppendAsync(new TimelineEntry
        {
            Kind = "citizen.registered",
            Channel = command.Channel,
            Summary = $"Citizen {row.FirstName} {row.LastName} registered ({idType.ToUpperInvariant()} {Cnp.Mask(nationalId)})",
            CitizenId = id,
        }, ct);
        return row.ToCitizen();
    }
}
