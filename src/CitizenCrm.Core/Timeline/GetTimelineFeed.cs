using CitizenCrm.Core.Common;
using CitizenCrm.Core.Pipeline;
using CitizenCrm.Core.Storage;
using Mediator;

namespace CitizenCrm.Core.Timeline;

/// <summary>The dispatchers' feed: every event from every channel, newest first.</summary>
public sealed record GetTimelineFeed(TimelineFilter Filter, long? Before = null, int? Limit = null) : IPersonalDataQuery<TimelinePage>, IValidatable
{
    public void Validate(Validation v)
    {
        Filter.Validate(v);
        TimelinePaging.ValidateLimit(v, Limit);
    }
}

public sealed class GetTimelineFeedHandler(UnitOfWork uow) : IQueryHandler<GetTimelineFeed, TimelinePage>
{
    public async ValueTask<TimelinePage> Handle(GetTimelineFeed query, CancellationToken ct) =>
        await TimelinePaging.ReadAsync(uow, null, null, query.Filter, query.Before, query.Limit, ct);
}
