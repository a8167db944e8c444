using CitizenCrm.Core.Common;
using CitizenCrm.Core.Timeline;
using CitizenCrm.Server.Hosting;
using Mediator;

namespace CitizenCrm.Server.Endpoints;

public static class TimelineEndpoints
{
    public static void MapTimelineEndpoints(this RouteGroupBuilder api)
    {
        var timeline = api.MapGroup("/timeline").WithTags("Timeline");

        timeline.MapGet("/", async (long? before, int? limit, string? channel, string? kind, DateOnly? from, DateOnly? to, IMediator mediator, CancellationToken ct) =>
            Results.Ok(await mediator.Send(new GetTimelineFeed(new TimelineFilter(channel, kind, from, to), before, limit), ct)))
            .Produces<TimelinePage>().AllowRoles(StaffRole.Dispatcher, StaffRole.Supervisor);

        timeline.MapGet("/cases/{caseId:guid}", async (Guid caseId, long? before, int? limit, IMediator mediator, CancellationToken ct) =>
            Results.Ok(await mediator.Send(new GetCaseHistory(caseId, before, limit), ct)))
            .Produces<TimelinePage>().AllowRoles(StaffRole.Clerk, StaffRole.Dispatcher, StaffRole.Supervisor);

        timeline.MapGet("/calls/{correlation}", async (string correlation, long? before, int? limit, IMediator mediator, CancellationToken ct) =>
            Results.Ok(await mediator.Send(new GetCallHistory(correlation, before, limit), ct)))
            .Produces<TimelinePage>().AllowRoles(StaffRole.Clerk, StaffRole.Dispatcher, StaffRole.Supervisor);
    }
}
