using CitizenCrm.Core.Common;
using CitizenCrm.Core.Notifications;
using CitizenCrm.Server.Hosting;
using Mediator;

namespace CitizenCrm.Server.Endpoints;

/// <summary>
/// Notifications to citizens and staff: dispatchers see what went out and what failed and send a failed one again;
/// admins edit the texts (each change recorded with who made it).
/// </summary>
public static class NotificationEndpoints
{
    public sealed record TemplateBody(string? Subject, string? Body, string? Sms);

    public static void MapNotificationEndpoints(this RouteGroupBuilder api)
    {
        var notifications = api.MapGroup("/notifications").WithTags("Notifications");

        notifications.MapGet("/", async (string? status, Guid? caseId, int? limit, string? cursor, IMediator m, CancellationToken ct) =>
            Results.Ok(await m.Send(new ListNotifications(status, caseId, limit, cursor), ct)))
            .Produces<NotificationPage>().AllowRoles(StaffRole.Dispatcher, StaffRole.Supervisor, StaffRole.Admin);

        notifications.MapPost("/{id:guid}/retry", async (Guid id, IMediator m, CancellationToken ct) =>
            Results.Ok(await m.Send(new RetryNotification(id), ct)))
            .Produces<NotificationSummary>().AllowRoles(StaffRole.Dispatcher, StaffRole.Admin);

        var templates = api.MapGroup("/notification-templates").WithTags("Notifications").AllowRoles(StaffRole.Admin);

        templates.MapGet("/", async (IMediator m, CancellationToken ct) => Results.Ok(await m.Send(new ListNotificationTemplates(), ct)))
            .Produces<IReadOnlyList<NotificationTemplate>>();

        templates.MapGet("/{kind}/{language}", async (string kind, string language, IMediator m, CancellationToken ct) =>
            Results.Ok(await m.Send(new GetNotificationTemplate(kind, language), ct)))
            .Produces<NotificationTemplateWithHistory>();

        templates.MapPut("/{kind}/{language}", async (string kind, string language, TemplateBody? body, IMediator m, CancellationToken ct) =>
            Results.Ok(await m.Send(new SaveNotificationTemplate(kind, language, body?.Subject, body?.Body, body?.Sms), ct)))
            .Produces<NotificationTemplate>();
    }
}
