using CitizenCrm.Core.Common;
using CitizenCrm.Core.Map.Photos;
using CitizenCrm.Core.Staff;
using CitizenCrm.Server.Hosting;
using Mediator;
using Microsoft.Net.Http.Headers;

namespace CitizenCrm.Server.Endpoints;

/// <summary>
/// The photos of map reports: served at their public address (the report's media_url), and moderated by dispatchers.
/// <para>
/// Caching: a public photo is sent with <c>Cache-Control: public, max-age=300</c> and a strong ETag (the hash of its
/// bytes, which never change for an id). Five minutes bounds how long a photo hidden by a dispatcher can still be
/// shown from a browser's or a proxy's cache; after that every cache asks again with If-None-Match and gets a 304
/// (a few bytes) while the photo stays public, or a 404 once it is hidden. A photo that is not public is served only
/// to signed-in staff, with <c>Cache-Control: private, no-store</c>, and its 404 for everyone else is <c>no-store</c>
/// too, so a cache never keeps a "not found" after the photo is published.
/// </para>
/// </summary>
public static class PhotoEndpoints
{
    public sealed record HideBody(string? Reason);

    public const string PublicCaching = "public, max-age=300";
    public const string StaffCaching = "private, no-store";

    /// <summary>Staff who may see a photo before it is public: those who read cases (as the staff map feed).</summary>
    private static readonly StaffRole[] Viewers = [StaffRole.Clerk, StaffRole.Dispatcher, StaffRole.Supervisor];

    /// <summary>The moderators: dispatchers and their supervisors, as for the reports themselves and the rest of dispatch.</summary>
    private static readonly StaffRole[] Moderators = [StaffRole.Dispatcher, StaffRole.Supervisor];

    public static void MapPhotoEndpoints(this IEndpointRouteBuilder app, RouteGroupBuilder api)
    {
        var media = app.MapGroup("/media/photos").WithTags("Map photos").AllowAnonymous();
        media.MapGet("/{id:guid}", (Guid id, HttpContext http, IMediator m, PhotoStore store, CancellationToken ct) => ServeAsync(id, false, http, m, store, ct))
            .WithDescription("A report's photo (JPEG, re-encoded without EXIF, GPS or XMP; longest side at most 2048 px). Public photos to anyone; " +
                "a photo waiting for review or hidden only to signed-in staff (clerk, dispatcher, supervisor, admin), a 404 for everyone else.")
            .Produces<Stream>(StatusCodes.Status200OK, PhotoImages.Jpeg).Produces(StatusCodes.Status304NotModified);
        media.MapGet("/{id:guid}/thumbnail", (Guid id, HttpContext http, IMediator m, PhotoStore store, CancellationToken ct) => ServeAsync(id, true, http, m, store, ct))
            .WithDescription("The photo's thumbnail (JPEG, longest side at most 320 px), served as the photo is.")
            .Produces<Stream>(StatusCodes.Status200OK, PhotoImages.Jpeg).Produces(StatusCodes.Status304NotModified);

        var photos = api.MapGroup("/map/reports/{caseId:guid}/photos").WithTags("Map photos");
        photos.MapGet("", async (Guid caseId, IMediator m, CancellationToken ct) => Results.Ok(await m.Send(new ListReportPhotos(caseId), ct)))
            .WithDescription("A report's photos with their moderation state (waiting_for_review, published, hidden) and whether the public sees each now.")
            .Produces<ReportPhotosForStaff>().AllowRoles(Viewers);
        photos.MapPost("/{photoId:guid}/publish", async (Guid caseId, Guid photoId, IMediator m, CancellationToken ct) =>
                Results.Ok(await m.Send(new PublishReportPhoto(caseId, photoId), ct)))
            .WithDescription("Puts a photo waiting for review (or hidden earlier) on the public map; recorded on the case's timeline.")
            .Produces<StaffReportPhoto>().AllowRoles(Moderators);
        photos.MapPost("/{photoId:guid}/hide", async (Guid caseId, Guid photoId, HideBody? body, IMediator m, CancellationToken ct) =>
                Results.Ok(await m.Send(new HideReportPhoto(caseId, photoId, body?.Reason), ct)))
            .WithDescription("Hides a photo from the public map and feed, with the reason; staff still see it. Recorded on the case's timeline.")
            .Produces<StaffReportPhoto>().AllowRoles(Moderators);
    }

    private static async Task<IResult> ServeAsync(Guid id, bool thumbnail, HttpContext http, IMediator m, PhotoStore store, CancellationToken ct)
    {
        var headers = http.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        var file = await m.Send(new GetPhotoFile(id, thumbnail), ct);
        var staff = Viewers.Any(r => http.User.IsInRole(r.ToText()));
        if (file is null || (!file.Public && !staff))
        {
            headers.CacheControl = "no-store";
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found",
                detail: "There is no public photo at this address. Photos appear on the map once a dispatcher has reviewed them.");
        }
        var stream = store.Open(file.Sha256);
        if (stream is null)
        {
            headers.CacheControl = "no-store";
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found",
                detail: "The photo's file is missing from the data folder; tell the IT team.");
        }
        headers.CacheControl = file.Public ? PublicCaching : StaffCaching;
        // An image can carry no script, but a browser told to sniff could take crafted bytes for HTML: forbid everything.
        headers.ContentSecurityPolicy = "default-src 'none'; sandbox";
        return Results.File(stream, file.ContentType, entityTag: new EntityTagHeaderValue($"\"{file.Sha256}\""));
    }
}

/// <summary>At start, once the schema is migrated: removes photo files a crash left without their row (see <see cref="PhotoStore"/>).</summary>
public sealed class PhotoStartup(PhotoStore store, ILogger<PhotoStartup> logger) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken ct) => Task.CompletedTask;
    public Task StartAsync(CancellationToken ct) => Task.CompletedTask;

    // StartedAsync runs after every hosted service's StartAsync, so after DatabaseStartup has migrated (0014 included),
    // whatever order the services were added in. Files younger than the sweep's grace period are left alone.
    public async Task StartedAsync(CancellationToken ct)
    {
        if (await store.SweepAsync(ct) is > 0 and var removed)
            logger.LogInformation("Removed {Count} photo files left by an interrupted report", removed);
    }

    public Task StoppingAsync(CancellationToken ct) => Task.CompletedTask;
    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken ct) => Task.CompletedTask;
}
