using CitizenCrm.Core.Common;
using CitizenCrm.Core.Pipeline;
using CitizenCrm.Core.Storage;
using Mediator;

namespace CitizenCrm.Core.Timeline;

/// <summary>Everything that happened to one case, newest first.</summary>
public sealed record GetCaseHistory(Guid CaseId, long? Before = null, int? Limit = null) : IPersonalDataQuery<TimelinePage>, IValidatable
{
    public void Validate(Validation v) => TimelinePaging.ValidateLimit(v, Limit);
}

public sealed class GetCaseHistoryHandler(UnitOfWork uow) : IQueryHandler<GetCaseHistory, TimelinePage>
{
    public async ValueTask<TimelinePage> Handle(GetCaseHistory query, CancellationToken ct)
    {
        var page = await TimelinePaging.ReadAsync(uow, "case_id", query.CaseId, new TimelineFilter(), query.Before, query.Limit, ct);
        if (page.Events.Count == 0 && query.Before is null) throw new NotFoundException("case", query.CaseId);
        return page;
    }
}
