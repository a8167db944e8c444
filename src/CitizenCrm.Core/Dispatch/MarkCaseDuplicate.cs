using CitizenCrm.Core.Cases;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Storage;
using Mediator;

namespace CitizenCrm.Core.Dispatch;

/// <summary>
/// A dispatcher marks a case as a duplicate of another: the same party's same matter registered twice (an e-mail
/// and a web form, or a petition sent again). Petitions follow OG 27/2002 art. 10 through JoinPetition itself: joined
/// to the open one and answered once with it, or, if that one was already answered, filed away with a note naming its
/// number. Information and service requests are treated alike (one answer for one matter). Cases of different parties
/// are not duplicates — each party is owed an answer — and an unmatched case is linked to its citizen first.
/// </summary>
public sealed record MarkCaseDuplicate(Guid CaseId, Guid? OfCaseId, int? Version = null) : ICommand<DispatchCaseResult>, IValidatable
{
    public void Validate(Validation v)
    {
        if (v.Required("ofCaseId", OfCaseId, "The case this one duplicates (ofCaseId)") && OfCaseId == CaseId)
            v.Add("ofCaseId", "A case cannot be a duplicate of itself.");
    }
}

public sealed class MarkCaseDuplicateHandler(UnitOfWork uow, Timeline.Timeline timeline, TimeProvider clock) : ICommandHandler<MarkCaseDuplicate, DispatchCaseResult>
{
    private const string BothMapReports = "SELECT COUNT(*) FROM map_reports WHERE case_id IN (@A, @B)";
    private const string LastEvent = "SELECT seq FROM timeline_events WHERE case_id = @Id ORDER BY seq DESC ";
    private const string Update = """
        UPDATE cases SET status = @Status, joined_to_case_id = @Into, note = @Note, updated_at = @Now, version = version + 1
        WHERE id = @Id AND version = @Version
        """;

    public async ValueTask<DispatchCaseResult> Handle(MarkCaseDuplicate command, CancellationToken ct)
    {
        var c = await CaseStore.LoadAsync(uow, command.CaseId, ct);
        DispatchCases.EnsureVersion(c, command.Version);
        var into = await uow.QuerySingleOrDefaultAsync<CaseRow>("SELECT " + CaseRow.Columns + CaseRow.From + "WHERE c.id = @Id", new { Id = command.OfCaseId }, ct)
            ?? throw ValidationFailedException.For("ofCaseId", "There is no case with this id.");
        if (c.Kind != into.Kind)
            throw new ConflictException($"Case {c.RegistrationNumber} is {CaseStore.AKind(c.Kind)} and {into.RegistrationNumber} {CaseStore.AKind(into.Kind)}: only matters of one kind are duplicates. Reclassify one first if it was registered as the wrong kind.",
                "Different kinds");
        // Issue 11: two reports on the map of one pothole are one matter whoever reported them — the city owes one repair,
        // and every reporter keeps hearing back through the case that stays (Map/ReporterNotices). So they merge across parties.
        var bothOnTheMap = await uow.ExecuteScalarAsync<long>(BothMapReports, new { A = c.Id, B = into.Id }, ct) == 2;
        if (!bothOnTheMap && (c.PartyKind == PartyKinds.Contact && into.PartyKind == PartyKinds.Citizen || c.PartyKind == PartyKinds.Citizen && into.PartyKind == PartyKinds.Contact))
            throw new ConflictException($"One of {c.RegistrationNumber} and {into.RegistrationNumber} is unmatched: link it to its citizen first, then mark the duplicate.",
                "Different petitioners");

        if (c.Kind == CaseKinds.Petition)
        {
            // OG 27/2002 art. 10, as the registry desk applies it: one rule, in one place.
            await new JoinPetitionHandler(uow, timeline, clock).Handle(new JoinPetition(c.Id, into.Id), ct);
            var seq = await uow.ExecuteScalarAsync<long>(LastEvent + uow.Dialect.LimitClause, new { c.Id, Limit = 1 }, ct);
            return await DispatchCases.ResultAsync(uow, c.Id, seq, clock, ct);
        }

        Lifecycle.Ensure(c, Lifecycle.Move.Join);
        if (!bothOnTheMap && !SameParty(c, into))
            throw new ConflictException($"Cases {c.RegistrationNumber} and {into.RegistrationNumber} come from different parties; each is owed its own answer, so neither is a duplicate.",
                "Different petitioners");
        string status, note, kind, summary;
        if (into.Status is CaseStatuses.Answered or CaseStatuses.Closed)
        {
            status = CaseStatuses.Filed;
            kind = "case.filed";
            note = $"Cerere repetată, clasată: s-a răspuns la cererea nr. {into.RegistrationNumber} în {into.AnsweredOn:dd.MM.yyyy}.";
            summary = $"{CaseStore.KindName(c.Kind)} {c.RegistrationNumber} filed away: a duplicate of {into.RegistrationNumber}, already answered on {into.AnsweredOn:yyyy-MM-dd}";
        }
        else if (into.IsOpen)
        {
            status = CaseStatuses.Joined;
            kind = "case.joined";
            note = $"Dublură a cererii nr. {into.RegistrationNumber}; se răspunde o singură dată.";
            summary = $"{CaseStore.KindName(c.Kind)} {c.RegistrationNumber} marked as a duplicate of {into.RegistrationNumber}, answered once with it";
        }
        else
            throw new ConflictException($"Case {into.RegistrationNumber} is {into.Status.Replace('_', ' ')}; mark the duplicate of the case that is still being handled.", "Cannot join");

        await CaseStore.UpdateAsync(uow, Update, new { c.Id, c.Version, Status = status, Into = into.Id, Note = note, Now = clock.GetUtcNow().ToUnixTimeMilliseconds() }, ct);
        var recorded = await CaseStore.RecordAsync(timeline, c, kind, summary, new { intoCaseId = into.Id, intoNumber = into.RegistrationNumber, note, duplicate = true }, ct);
        return await DispatchCases.ResultAsync(uow, c.Id, recorded.Seq, clock, ct);
    }


    private static bool SameParty(CaseRow a, CaseRow b) => a.PartyKind == b.PartyKind && a.PartyKind switch
    {
        PartyKinds.Citizen => a.CitizenId == b.CitizenId,
        PartyKinds.Organisation => a.OrganisationCui == b.OrganisationCui,
        PartyKinds.Contact => string.Equals(a.ContactName?.Trim(), b.ContactName?.Trim(), StringComparison.OrdinalIgnoreCase),
        _ => false,
    };
}
