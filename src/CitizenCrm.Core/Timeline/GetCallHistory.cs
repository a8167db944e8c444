using CitizenCrm.Core.Common;
using CitizenCrm.Core.Pipeline;
using CitizenCrm.Core.Storage;
using Mediator;

namespace CitizenCrm.Core.Timeline;

/// <summary>The events of one phone call (its Twilio CallSid) or one import batch: whatever shares a correlation.</summary>
public sealed record GetCallHistory(string Correlation, long? Before = null, int? Limit = null) : IPersonalDataQuery<TimelinePage>, IValidatable
{
    public void Validate(Validation v)
    {
        if (v.Required("correlation", Correlation, "The call or correlation id")) v.MaxLength("correlation", Correlation, 100, "The call id");
        TimelinePaging.ValidateLimit(v, Limit);
    }
}

public sealed class GetCallHistoryHandler(UnitOfWork uow) : IQueryHandler<GetCallHistory, TimelinePage>
{
    public async ValueTask<TimelinePage> Handle(GetCallHistory query, CancellationToken ct)
    {
        var page = await TimelinePaging.ReadAsync(uow, "correlation", query.Correlation, new TimelineFilter(), query.Before, query.Limit, ct);
        if (page.Events.Count == 0 && query.Before is null) throw new NotFoundException("call", query.Correlation);
        return page;
    }
}
