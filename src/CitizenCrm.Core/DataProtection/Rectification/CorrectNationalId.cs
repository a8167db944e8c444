using CitizenCrm.Core.Citizens;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.DataProtection.Masking;
using CitizenCrm.Core.Storage;
using CitizenCrm.Core.Timeline;
using Mediator;

namespace CitizenCrm.Core.DataProtection.Rectification;

/// <summary>
/// A clerk corrects a mistyped national ID or its type (GDPR art. 16, rectification): the record, its cases, debts and
/// timeline stay one person's, where a second registration would split them. A CNP is checked as at registration, and
/// the date of birth follows the corrected CNP. With <see cref="ExpectedVersion"/>, a record changed meanwhile is refused.
/// </summary>
public sealed record CorrectNationalId(Guid CitizenId, string? IdType, string? NationalId, int? ExpectedVersion = null)
    : ICommand<Citizen>, IValidatable
{
    public void Validate(Validation v)
    {
        var type = IdType ?? IdTypes.Cnp;
        if (!IdTypes.All.Contains(type)) v.Add("idType", "The ID type must be cnp, passport or foreign_id.");
        if (v.Required("nationalId", NationalId, "The national ID"))
        {
            if (type == IdTypes.Cnp && Cnp.Problem(NationalId!.Trim()) is { } problem) v.Add("nationalId", problem);
            else if (type != IdTypes.Cnp && (NationalId!.Trim().Length is < 4 or > 32 || !NationalId.Trim().All(char.IsAsciiLetterOrDigit)))
                v.Add("nationalId", "A passport or foreign ID has 4 to 32 letters and digits.");
        }
    }
}

public sealed class CorrectNationalIdHandler(UnitOfWork uow, Timeline.Timeline timeline, TimeProvider clock)
    : ICommandHandler<CorrectNationalId, Citizen>
{
    private const string Load = "SELECT " + CitizenRow.Columns + " FROM citizens WHERE id = @Id";
    private const string Erased = "SELECT erased_at FROM citizens WHERE id = @Id";
    private const string FindOther = "SELECT id FROM citizens WHERE id_type = @IdType AND national_id = @NationalId AND id <> @Id";
    private const string Update = """
        UPDATE citizens SET id_type = @IdType, national_id = @NationalId, date_of_birth = @DateOfBirth,
               updated_at = @UpdatedAt, version = version + 1
        WHERE id = @Id AND version = @Version
        """;

    public async ValueTask<Citizen> Handle(CorrectNationalId command, CancellationToken ct)
    {
        var current = await uow.QuerySingleOrDefaultAsync<CitizenRow>(Load, new { Id = command.CitizenId }, ct)
            ?? throw new NotFoundException("citizen", command.CitizenId);
        if (await uow.QuerySingleOrDefaultAsync<long?>(Erased, new { Id = command.CitizenId }, ct) is not null)
            throw new ConflictException("This citizen's personal data was erased: there is nothing left to correct. Register the person again if they come back.",
                "Citizen erased");
        if (command.ExpectedVersion is { } expected && expected != current.Version)
            throw new ConflictException($"Someone else changed this citizen meanwhile (version {current.Version}, you edited version {expected}). Reload and apply your change again.",
                "Changed by someone else");

        var idType = command.IdType ?? IdTypes.Cnp;
        var nationalId = command.NationalId!.Trim().ToUpperInvariant();
        var dateOfBirth = current.DateOfBirth;
        if (idType == IdTypes.Cnp)
        {
            var today = Calendar.Today(clock);
            if (Cnp.Problem(nationalId, today) is { } problem) throw ValidationFailedException.For("nationalId", problem);
            var readings = Cnp.BirthDateReadings(nationalId, today);
            // The date of birth is read from the CNP at registration: a corrected CNP corrects it too, unless it agrees already.
            if (dateOfBirth is not { } dob || !readings.Contains(dob)) dateOfBirth = readings[0];
        }
        if (idType == current.IdType && nationalId == current.NationalId) return current.ToCitizen();
        if (await uow.QuerySingleOrDefaultAsync<Guid?>(FindOther, new { IdType = idType, NationalId = nationalId, Id = command.CitizenId }, ct) is { } other)
            throw new ConflictException($"Another citizen is registered with this {(idType == IdTypes.Cnp ? "CNP" : "ID")} (citizen {other}). " +
                                        "Check which record is the person's; two records of one person are merged by the IT team.", "National ID used by another citizen");

        var fields = new List<string>();
        if (idType != current.IdType) fields.Add("id_type");
        if (nationalId != current.NationalId) fields.Add("national_id");
        if (dateOfBirth != current.DateOfBirth) fields.Add("date_of_birth");
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var rows = await uow.ExecuteAsync(Update, new
        {
            IdType = idType, NationalId = nationalId, DateOfBirth = dateOfBirth, UpdatedAt = now, Id = command.CitizenId, current.Version,
        }, ct);
        if (rows == 0) throw new ConflictException("Someone else changed this citizen meanwhile. Reload and try again.", "Changed by someone else");

        // Masked on both sides: a timeline summary or payload never holds a whole national ID (README, Personal data).
        var was = $"{current.IdType.ToUpperInvariant()} {PersonalNumbers.NationalId(current.NationalId)}";
        var corrected = $"{idType.ToUpperInvariant()} {PersonalNumbers.NationalId(nationalId)}";
        await timeline.AppendAsync(new TimelineEntry
        {
            Kind = "citizen.updated",
            Channel = Channels.Desk,
            Summary = $"National ID corrected: {corrected} (was {was})" + (fields.Contains("date_of_birth") ? ", date of birth read from the CNP" : ""),
            CitizenId = command.CitizenId,
            Payload = new { Changed = new[] { "national id" }, Fields = fields, Was = was, Now = corrected },
        }, ct);
        return (current with { IdType = idType, NationalId = nationalId, DateOfBirth = dateOfBirth, UpdatedAt = now, Version = current.Version + 1 }).ToCitizen();
    }
}
