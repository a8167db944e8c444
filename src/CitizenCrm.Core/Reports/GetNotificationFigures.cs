using CitizenCrm.Core.Common;
using CitizenCrm.Core.Storage;
using Mediator;

namespace CitizenCrm.Core.Reports;

public sealed record NotificationFiguresRow(string Channel, string Kind, long Sent, long Failed);

public sealed record NotificationFigures(DateOnly From, DateOnly To, string? Department, string? Channel, string? Service,
    long Sent, long Failed, IReadOnlyList<NotificationFiguresRow> ByChannelAndKind, IReadOnlyList<string> Notes) : IReportTable
{
    public IReadOnlyList<string> CsvHeader() => ["channel", "kind", "sent", "failed"];

    public IEnumerable<IReadOnlyList<string>> CsvRows() =>
        ByChannelAndKind.Select(r => (IReadOnlyList<string>)[r.Channel, r.Kind, ReportText.Of(r.Sent), ReportText.Of(r.Failed)])
            .Append(["all", "all", ReportText.Of(Sent), ReportText.Of(Failed)]);
}

/// <summary>
/// Notifications to citizens sent and failed, per channel (email, sms) and kind, from the outbox table `notifications`
/// (its contract: /work/notes/COMMON.md, kept by the notifications feature): sent = sent_at on a day of the range;
/// failed = given up (status 'failed', failed_at on a day of the range; a failure that will still be retried is not
/// counted). The channel filter is the notification's channel (email, sms); department and service filter by the
/// notification's case.
/// </summary>
public sealed record GetNotificationFigures(ReportFilter Filter) : IQuery<NotificationFigures>, IValidatable
{
    public void Validate(Validation v)
    {
        // The notification's channel is email or sms; 'sms' is not a case channel, so it is checked here, not by the scope.
        if (string.Equals(Filter.Channel?.Trim(), "sms", StringComparison.OrdinalIgnoreCase)) (Filter with { Channel = null }).Validate(v);
        else Filter.Validate(v);
    }
}

public sealed class GetNotificationFiguresHandler(UnitOfWork uow) : IQueryHandler<GetNotificationFigures, NotificationFigures>
{
    private const string Figures = """
        SELECT n.channel AS Channel, n.kind AS Kind,
               SUM(CASE WHEN n.status = 'sent' AND n.sent_at >= @FromMs AND n.sent_at < @ToMs THEN 1 ELSE 0 END) AS Sent,
               SUM(CASE WHEN n.status = 'failed' AND n.failed_at >= @FromMs AND n.failed_at < @ToMs THEN 1 ELSE 0 END) AS Failed
        FROM notifications n
        LEFT JOIN cases c ON c.id = n.case_id
        LEFT JOIN service_categories s ON s.code = c.category_code
        WHERE ((n.sent_at >= @FromMs AND n.sent_at < @ToMs) OR (n.failed_at >= @FromMs AND n.failed_at < @ToMs))
          AND (@Channel IS NULL OR n.channel = @Channel)
          AND (@Department IS NULL OR COALESCE(c.assigned_department, s.department) = @Department)
          AND (@Service IS NULL OR c.category_code = @Service)
        GROUP BY n.channel, n.kind
        ORDER BY n.channel, n.kind
        """;

    private sealed record Row
    {
        public string Channel { get; init; } = "";
        public string Kind { get; init; } = "";
        public long Sent { get; init; }
        public long Failed { get; init; }
    }

    public async ValueTask<NotificationFigures> Handle(GetNotificationFigures query, CancellationToken ct)
    {
        var sms = string.Equals(query.Filter.Channel?.Trim(), "sms", StringComparison.OrdinalIgnoreCase);
        var scope = (sms ? query.Filter with { Channel = null } : query.Filter).Scope();
        if (sms) scope = scope with { Channel = "sms" };
        await scope.EnsureServiceKnownAsync(uow, ct);
        var rows = (await uow.QueryAsync<Row>(Figures, scope.Parameters(default), ct))
            .Select(r => new NotificationFiguresRow(r.Channel, r.Kind, r.Sent, r.Failed)).ToList();
        return new NotificationFigures(scope.From, scope.To, scope.Department, scope.Channel, scope.Service,
            rows.Sum(r => r.Sent), rows.Sum(r => r.Failed), rows, []);
    }
}
