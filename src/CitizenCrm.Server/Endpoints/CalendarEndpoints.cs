using CitizenCrm.Core.Common;
using CitizenCrm.Core.Holidays;
using CitizenCrm.Server.Hosting;
using Mediator;

namespace CitizenCrm.Server.Endpoints;

public static class CalendarEndpoints
{
    public sealed record DeclareBody(DateOnly? Day, string? Reason);

    public static void MapCalendarEndpoints(this RouteGroupBuilder api)
    {
        var calendar = api.MapGroup("/calendar/non-working-days").WithTags("Calendar");

        calendar.MapGet("/{year:int}", async (int year, IMediator mediator, CancellationToken ct) =>
            Results.Ok(await mediator.Send(new ListNonWorkingDays(year), ct))).Produces<IReadOnlyList<NonWorkingDay>>().RequireAuthorization();

        calendar.MapPost("/", async (DeclareBody body, IMediator mediator, CancellationToken ct) =>
            Results.Created("/api/calendar/non-working-days", await mediator.Send(new DeclareNonWorkingDay(body.Day, body.Reason), ct)))
            .Produces<NonWorkingDay>(StatusCodes.Status201Created).AllowRoles(StaffRole.Admin);
    }
}
