using CitizenCrm.Core.Common;
using CitizenCrm.Core.Storage;
using Dapper;
using Mediator;

namespace CitizenCrm.Core.DataProtection.Requests;

/// <summary>
/// The register of data-subject requests: open ones first, the nearest term first (the late ones at the top, flagged
/// overdue), then the closed ones, newest first. Ids only, no personal data, so the list is not an audited read.
/// </summary>
public sealed record ListDataRequests(string? Status, Guid? CitizenId) : IQuery<IReadOnlyList<DataRequestView>>, IValidatable
{
    public void Validate(Validation v)
    {
        if (Status is not null && Status is not (DataSubjectRequestStatuses.Open or DataSubjectRequestStatuses.Completed or DataSubjectRequestStatuses.Refused))
            v.Add("status", "The status is open, completed or refused (or leave it out for all).");
    }
}

public sealed class ListDataRequestsHandler(UnitOfWork uow, TimeProvider clock) : IQueryHandler<ListDataRequests, IReadOnlyList<DataRequestView>>
{
    // A register of a city hall's requests holds tens a year, not thousands: one page, no cursor.
    private const int Cap = 1000;

    public async ValueTask<IReadOnlyList<DataRequestView>> Handle(ListDataRequests query, CancellationToken ct)
    {
        var sql = new System.Text.StringBuilder($"SELECT {DataSubjectRequestStore.Columns} FROM data_subject_requests WHERE 1 = 1");
        var p = new DynamicParameters();
        if (query.Status is { } s) { sql.Append(" AND status = @Status"); p.Add("Status", s); }
        if (query.CitizenId is { } c) { sql.Append(" AND citizen_id = @CitizenId"); p.Add("CitizenId", c); }
        sql.Append(" ORDER BY CASE WHEN status = 'open' THEN 0 ELSE 1 END, CASE WHEN status = 'open' THEN COALESCE(extended_to, due_on) END, registered_at DESC ")
            .Append(uow.Dialect.LimitClause);
        p.Add("Limit", Cap);
        var today = Calendar.Today(clock);
        return (await uow.QueryAsync<DataSubjectRequestStore.Row>(sql.ToString(), p, ct)).Select(r => DataRequestView.Of(r.ToRequest(), today)).ToList();
    }
}
