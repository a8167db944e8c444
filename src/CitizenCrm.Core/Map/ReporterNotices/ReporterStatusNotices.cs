using CitizenCrm.Core.Cases;
using CitizenCrm.Core.Map.Feed;
using CitizenCrm.Core.Notifications;
using CitizenCrm.Core.Storage;
using CitizenCrm.Core.Timeline;
using Microsoft.Extensions.Options;

namespace CitizenCrm.Core.Map.ReporterNotices;

/// <summary>
/// Reporters on the map hear back (issue 11, item 7): each public step of a map report (the kinds of
/// <see cref="ReportUpdates"/> after the registration, which the acknowledgement already announced) queues a
/// 'status_changed' e-mail to its reporter, in the transaction of the step, with the public page's link.
///
/// Why a timeline listener and not a line in each lifecycle command: every step of a case — the registry desk's
/// assign/start/answer/close/reject/file, the dispatchers' claim/assign/duplicate, whatever comes later — is already
/// written through <see cref="Timeline.Timeline.AppendAsync"/> inside its command's transaction. Listening there covers
/// them all, present and future, from one place, and an e-mail exists exactly when its step was committed.
///
/// Merged duplicates: a report a dispatcher joined to another (cases.joined_to_case_id) follows the case that stays,
/// so a step of that case reaches the reporters of every report merged into it (and into those, in turn), each once
/// per address. The e-mail is only by e-mail: a reporter with no e-mail address (a contact who gave none, a citizen
/// with only a phone) gets nothing, and may follow the report by its link.
/// </summary>
public sealed class ReporterStatusNotices(UnitOfWork uow, Outbox outbox, IOptions<MapFeedOptions> options) : ITimelineListener
{
    private const string IsMapReport = "SELECT COUNT(*) FROM map_reports WHERE case_id = @Id";
    private const string MergedInto = """
        SELECT c.id FROM cases c JOIN map_reports r ON r.case_id = c.id
        WHERE c.joined_to_case_id IN @Ids ORDER BY c.registered_at, c.id
        """;
    private const int MaxMergeDepth = 10;

    public async Task AppendedAsync(TimelineEvent appended, CancellationToken ct)
    {
        if (appended.CaseId is not { } caseId || appended.Kind == "case.registered" || !ReportUpdates.Kinds.Contains(appended.Kind)) return;
        if (await uow.ExecuteScalarAsync<long>(IsMapReport, new { Id = caseId }, ct) == 0) return;

        var changed = await CaseStore.LoadAsync(uow, caseId, ct);
        var reporters = new List<CaseRow> { changed };
        var seen = new HashSet<Guid> { caseId };
        var frontier = new List<Guid> { caseId };
        for (var depth = 0; depth < MaxMergeDepth && frontier.Count > 0; depth++)
        {
            var next = (await uow.QueryAsync<Guid>(MergedInto, new { Ids = frontier }, ct)).Where(seen.Add).ToList();
            foreach (var id in next) reporters.Add(await CaseStore.LoadAsync(uow, id, ct));
            frontier = next;
        }

        var link = PublicReportLinks.Page(options.Value, ServiceRequestIds.Of((int)changed.Year, (int)changed.Number));
        var addresses = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var report in reporters)
        {
            var reach = await outbox.ReachAsync(report, ct);
            if (reach is not { Channel: NotificationChannels.Email } || !addresses.Add(reach.Address)) continue;
            var values = new Dictionary<string, string>
            {
                ["number"] = changed.RegistrationNumber,
                ["subject"] = changed.Subject,
                ["name"] = reach.Name,
                ["status"] = ReportUpdates.TextOf(appended.Kind, reach.Language) ?? "",
                ["link"] = link,
            };
            // Filed under the reporter's own case: the notices of a case are those sent to its party.
            await outbox.ToReachAsync(NotificationKinds.StatusChanged, reach, report.Id, values, ct);
        }
    }
}
