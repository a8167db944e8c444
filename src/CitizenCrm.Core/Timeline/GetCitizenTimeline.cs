using CitizenCrm.Core.Common;
using CitizenCrm.Core.Pipeline;
using CitizenCrm.Core.Storage;
using Mediator;

namespace CitizenCrm.Core.Timeline;

/// <summary>A citizen's whole relationship with the city hall, newest first.</summary>
public sealed record GetCitizenTimeline(Guid CitizenId, TimelineFilter Filter, long? Before = null, int? Limit = null)
    : IPersonalDataQuery<TimelinePage>, IValidatable
{
    public void Validate(Validation v)
    {
        Filter.Validate(v);
        TimelinePaging.ValidateLimit(v, Limit);
    }
}

public sealed class GetCitizenTimelineHandler(UnitOfWork uow) : IQueryHandler<GetCitizenTimeline, TimelinePage>
{
    private const string CitizenExists = "SELECT COUNT(*) FROM citizens WHERE id = @CitizenId";

    public async ValueTask<TimelinePage> Handle(GetCitizenTimeline query, CancellationToken ct)
    {
        if (await uow.ExecuteScalarAsync<long>(CitizenExists, new { query.CitizenId }, ct) == 0)
            throw new NotFoundException("citizen", query.CitizenId);
        return await TimelinePaging.ReadAsync(uow, "citizen_id", query.CitizenId, query.Filter, query.Before, query.Limit, ct);
    }
}
