using CitizenCrm.Core.Cases;
using CitizenCrm.Core.Citizens;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.DataProtection.Rectification;
using CitizenCrm.Server.Hosting;
using Mediator;

namespace CitizenCrm.Server.Endpoints;

/// <summary>
/// Rectification (GDPR art. 16) of what PUT /api/citizens/{id} cannot change: a mistyped national ID or its type, and a
/// case's contact party who is not a registered citizen. Each correction is on the timeline, masked.
/// </summary>
public static class RectificationEndpoints
{
    public sealed record NationalIdBody(string? IdType, string? NationalId, int? Version);
    public sealed record ContactBody(string? Name, string? Details, int? Version);

    public static void MapRectificationEndpoints(this RouteGroupBuilder api)
    {
        api.MapPut("/citizens/{id:guid}/national-id", async (Guid id, NationalIdBody? body, IMediator mediator, CancellationToken ct) =>
                Results.Ok(await mediator.Send(new CorrectNationalId(id, body?.IdType, body?.NationalId, body?.Version), ct)))
            .WithTags("Citizens").Produces<Citizen>().AllowRoles(StaffRole.Clerk, StaffRole.Supervisor);

        api.MapPut("/cases/{id:guid}/contact", async (Guid id, ContactBody? body, IMediator mediator, CancellationToken ct) =>
                Results.Ok(await mediator.Send(new CorrectCaseContact(id, body?.Name, body?.Details, body?.Version), ct)))
            .WithTags("Registry").Produces<CaseDetails>().AllowRoles(StaffRole.Clerk, StaffRole.Supervisor);
    }
}
