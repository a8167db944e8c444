using CitizenCrm.Core.Common;
using CitizenCrm.Core.Storage;
using Mediator;

namespace CitizenCrm.Core.Cases;

/// <summary>
/// Several petitions of one petitioner on the same matter are joined and answered once (OG 27/2002 art. 10):
/// this petition joins the earlier one (IntoCaseId). If the earlier one was already answered, this is a repeat
/// after the answer, and it is filed away with a note naming the first number instead.
/// </summary>
public sealed record JoinPetition(Guid CaseId, Guid? IntoCaseId) : ICommand<CaseDetails>, IValidatable
{
    public void Validate(Validation v)
    {
        if (v.Required("intoCaseId", IntoCaseId, "The petition to join this one to (intoCaseId)") && IntoCaseId == CaseId)
            v.Add("intoCaseId", "A petition cannot be joined to itself.");
    }
}

public sealed class JoinPetitionHandler(UnitOfWork uow, Timeline.Timeline timeline, TimeProvider clock) : ICommandHandler<JoinPetition, CaseDetails>
{
    private const string Update = """
        UPDATE cases SET status = @Status, joined_to_case_id = @Into, note = @Note, updated_at = @Now, version = version + 1
        WHERE id = @Id AND version = @Version
        """;

    public async ValueTask<CaseDetails> Handle(JoinPetition command, CancellationToken ct)
    {
        var c = await CaseStore.LoadAsync(uow, command.CaseId, ct);
        var into = await uow.QuerySingleOrDefaultAsync<CaseRow>("SELECT " + CaseRow.Columns + CaseRow.From + "WHERE c.id = @Id", new { Id = command.IntoCaseId }, ct)
            ?? throw ValidationFailedException.For("intoCaseId", "There is no case with this id to join the petition to.");
        if (c.Kind != CaseKinds.Petition || into.Kind != CaseKinds.Petition)
            throw new ConflictException($"Only petitions are joined (OG 27/2002 art. 10); {c.RegistrationNumber} or {into.RegistrationNumber} is not a petition.", "Not a petition");
        Lifecycle.Ensure(c, Lifecycle.Move.Join);
        if (!SameParty(c, into))
            throw new ConflictException($"Petitions {c.RegistrationNumber} and {into.RegistrationNumber} come from different petitioners; only one petitioner's petitions are joined.", "Different petitioners");

        var now = clock.GetUtcNow();
        string status, note, kind, summary;
        if (into.Status is CaseStatuses.Answered or CaseStatuses.Closed)
        {
            status = CaseStatuses.Filed;
            kind = "case.filed";
            note = $"Petiție repetată, clasată: s-a răspuns la petiția nr. {into.RegistrationNumber} în {into.AnsweredOn:dd.MM.yyyy} (OG 27/2002 art. 10).";
            summary = $"Petition {c.RegistrationNumber} filed away: repeats {into.RegistrationNumber}, already answered on {into.AnsweredOn:yyyy-MM-dd}";
        }
        else if (CaseStatuses.Open.Contains(into.Status))
        {
            status = CaseStatuses.Joined;
            kind = "case.joined";
            note = $"Conexată la petiția nr. {into.RegistrationNumber}; se răspunde o singură dată (OG 27/2002 art. 10).";
            summary = $"Petition {c.RegistrationNumber} joined to {into.RegistrationNumber}, answered once with it";
        }
        else
            throw new ConflictException($"Petition {into.RegistrationNumber} is {into.Status.Replace('_', ' ')}; join into the petition that is still being handled.", "Cannot join");

        await CaseStore.UpdateAsync(uow, Update, new { c.Id, c.Version, Status = status, Into = into.Id, Note = note, Now = now.ToUnixTimeMilliseconds() }, ct);
        await CaseStore.RecordAsync(timeline, c, kind, summary, new { intoCaseId = into.Id, intoNumber = into.RegistrationNumber, note }, ct);
        return (await CaseStore.LoadAsync(uow, c.Id, ct)).ToDetails(Calendar.LocalDate(now));
    }

    private static bool SameParty(CaseRow a, CaseRow b) => a.PartyKind == b.PartyKind && a.PartyKind switch
    {
        PartyKinds.Citizen => a.CitizenId == b.CitizenId,
        PartyKinds.Organisation => a.OrganisationCui == b.OrganisationCui,
        PartyKinds.Contact => string.Equals(a.ContactName?.Trim(), b.ContactName?.Trim(), StringComparison.OrdinalIgnoreCase),
        _ => false,
    };
}
