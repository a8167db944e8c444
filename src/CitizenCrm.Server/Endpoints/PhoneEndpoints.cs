using CitizenCrm.Core.Common;
using CitizenCrm.Core.Phone;
using CitizenCrm.Ivr.Scripts;
using CitizenCrm.Server.Hosting;
using CitizenCrm.Server.Phone;
using Mediator;

namespace CitizenCrm.Server.Endpoints;

public static class PhoneEndpoints
{
    public sealed record CompleteBody(string? Note);

    /// <summary>Twilio's webhooks under /twilio/voice, and the dispatchers' and clerks' phone API under /api.</summary>
    public static void MapPhoneEndpoints(this WebApplication app)
    {
        app.MapTwilioWebhooks();

        var api = app.MapGroup("/api").AddEndpointFilter<IdempotencyReplayFilter>();
        var phone = api.MapGroup("/phone").WithTags("Phone");

        // The dispatchers' screen: who is waiting (identity, why, recent timeline) and the callbacks and messages to handle.
        phone.MapGet("/queue", async (int? limit, string? cursor, IMediator mediator, CancellationToken ct) =>
            Results.Ok(await mediator.Send(new GetPhoneQueue(limit, cursor), ct)))
            .Produces<PhoneQueue>().AllowRoles(StaffRole.Dispatcher, StaffRole.Supervisor);

        phone.MapPost("/requests/{id:guid}/done", async (Guid id, CompleteBody? body, IMediator mediator, CancellationToken ct) =>
        {
            await mediator.Send(new CompletePhoneRequest(id, body?.Note), ct);
            return Results.NoContent();
        }).Produces(StatusCodes.Status204NoContent).AllowRoles(StaffRole.Dispatcher, StaffRole.Supervisor);

        // After 5 wrong PINs a CNP's phone access is locked; a clerk who has seen the citizen's ID lifts it.
        api.MapPost("/citizens/{id:guid}/phone-access/unlock", async (Guid id, IMediator mediator, CancellationToken ct) =>
            Results.Ok(await mediator.Send(new UnlockPhoneAccess(id), ct)))
            .Produces<PhoneAccessUnlocked>().WithTags("Phone").AllowRoles(StaffRole.Clerk, StaffRole.Supervisor);

        // New wording without a rebuild: edit the YAML, then reload. A bad edit is refused; the last good scripts keep serving.
        phone.MapPost("/scripts/reload", (ScriptStore scripts) =>
        {
            try
            {
                var script = scripts.Reload();
                return Results.Ok(new { Folder = scripts.Folder, States = script.States.Count });
            }
            catch (ScriptException ex)
            {
                throw new ValidationFailedException(new Dictionary<string, string[]> { ["scripts"] = ex.Problems.ToArray() });
            }
        }).AllowRoles(StaffRole.Admin);
    }
}
