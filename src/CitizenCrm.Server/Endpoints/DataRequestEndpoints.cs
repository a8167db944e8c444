using System.Text.Json;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.DataProtection.Export;
using CitizenCrm.Core.DataProtection.Requests;
using CitizenCrm.Server.Hosting;
using Mediator;

namespace CitizenCrm.Server.Endpoints;

/// <summary>
/// Data-subject requests (GDPR art. 12, 15, 17, 20): registered with their term, extended once, refused, and an access
/// request answered by the export. Supervisors only. The erasure itself is in its own endpoints file.
/// </summary>
public static class DataRequestEndpoints
{
    public sealed record RegisterBody(string? Kind, DateOnly? ReceivedOn, string? Channel);
    public sealed record ExtendBody(int? Months, string? Reason);
    public sealed record RefuseBody(string? Reason);

    public static void MapDataRequestEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/citizens/{id:guid}/data-requests", async (Guid id, RegisterBody? body, IMediator mediator, CancellationToken ct) =>
        {
            var request = await mediator.Send(new RegisterDataRequest(id, body?.Kind, body?.ReceivedOn, body?.Channel), ct);
            return Results.Created($"/api/data-requests/{request.Id}", request);
        }).WithTags("Data protection").Produces<DataRequestView>(StatusCodes.Status201Created).AllowRoles(StaffRole.Supervisor);

        var requests = api.MapGroup("/data-requests").WithTags("Data protection");

        requests.MapGet("/", async (string? status, Guid? citizenId, IMediator mediator, CancellationToken ct) =>
            Results.Ok(await mediator.Send(new ListDataRequests(status, citizenId), ct)))
            .Produces<IReadOnlyList<DataRequestView>>().AllowRoles(StaffRole.Supervisor);

        requests.MapGet("/{id:guid}", async (Guid id, IMediator mediator, CancellationToken ct) =>
            Results.Ok(await mediator.Send(new GetDataRequest(id), ct)))
            .Produces<DataRequestView>().AllowRoles(StaffRole.Supervisor);

        requests.MapPost("/{id:guid}/extend", async (Guid id, ExtendBody? body, IMediator mediator, CancellationToken ct) =>
            Results.Ok(await mediator.Send(new ExtendDataRequest(id, body?.Months, body?.Reason), ct)))
            .Produces<ExtendedDataRequest>().AllowRoles(StaffRole.Supervisor);

        requests.MapPost("/{id:guid}/refuse", async (Guid id, RefuseBody? body, IMediator mediator, CancellationToken ct) =>
            Results.Ok(await mediator.Send(new RefuseDataRequest(id, body?.Reason), ct)))
            .Produces<DataRequestView>().AllowRoles(StaffRole.Supervisor);

        // The JSON is a file to hand over (attachment); the HTML is the same document to read and print in the browser.
        requests.MapPost("/{id:guid}/export", async (Guid id, string? format, HttpContext http, IMediator mediator, CancellationToken ct) =>
        {
            var export = await mediator.Send(new ExportCitizenData(id, format), ct);
            var day = Calendar.LocalDate(export.GeneratedAt).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            http.Response.Headers.CacheControl = "no-store"; // a whole person's record: no proxy or browser cache keeps a copy
            if (format == ExportFormats.Html)
            {
                // The page needs no script, image or font: forbid them all, so even a mistake in encoding could not run anything.
                http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'";
                return Results.Content(ExportHtml.Render(export), "text/html; charset=utf-8");
            }
            var bytes = JsonSerializer.SerializeToUtf8Bytes(export, new JsonSerializerOptions(Json.Options) { WriteIndented = true });
            return Results.File(bytes, "application/json", $"date-personale-{export.CitizenId}-{day}.json");
        }).Produces<CitizenDataExport>(StatusCodes.Status200OK, "application/json", "text/html").AllowRoles(StaffRole.Supervisor);
    }
}
