using CitizenCrm.Core.Audit;
using CitizenCrm.Core.Common;
using CitizenCrm.Server.Hosting;
using Mediator;

namespace CitizenCrm.Server.Endpoints;

public static class AuditEndpoints
{
    public static void MapAuditEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/audit", async (Guid? citizenId, string? actor, DateOnly? from, DateOnly? to, long? before, int? limit, IMediator mediator, CancellationToken ct) =>
            Results.Ok(await mediator.Send(new GetAuditLog(citizenId, actor, from, to, before, limit), ct)))
            .Produces<AuditPage>().WithTags("Audit").AllowRoles(StaffRole.Supervisor);
    }
}
