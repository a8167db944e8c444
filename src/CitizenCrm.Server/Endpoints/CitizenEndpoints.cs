using CitizenCrm.Core.Citizens;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Timeline;
using CitizenCrm.Server.Hosting;
using Mediator;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace CitizenCrm.Server.Endpoints;

public static class CitizenEndpoints
{
    public sealed record CitizenBody(
        string? IdType, string? NationalId, string? FirstName, string? LastName, DateOnly? DateOfBirth,
        string? Address, List<string>? Phones, List<string>? Emails, string? PreferredLanguage, string? Channel, int? Version, int? ExpectedVersion)
    {
        [System.Text.Json.Serialization.JsonIgnore] // computed for the handler; not part of the body
        public CitizenDetails Details => new(FirstName, LastName, DateOfBirth, Address, Phones, Emails, PreferredLanguage);
    }

    // A PUT sends the whole record as read (GET), with its "version": a record changed meanwhile is refused, not overwritten.
    /// <summary>Search criteria travel in the body, never in the URL: URLs end up in proxy and access logs.</summary>
    public sealed record SearchBody(string? NationalId, string? Phone, string? Name, int? Limit);

    public sealed record InteractionBody(string? Type, string? Channel, string? Summary, string? Notes, DateTimeOffset? OccurredAt, string? PerformedBy, Guid? CaseId);

    public static void MapCitizenEndpoints(this RouteGroupBuilder api)
    {
        var citizens = api.MapGroup("/citizens").WithTags("Citizens");

        citizens.MapPost("/", async (CitizenBody body, IMediator mediator, CancellationToken ct) =>
        {
            var citizen = await mediator.Send(new RegisterCitizen(body.IdType, body.NationalId, body.Details, body.Channel ?? Channels.Desk), ct);
            return Results.Created($"/api/citizens/{citizen.Id}", citizen);
        }).Produces<Citizen>(StatusCodes.Status201Created).AllowRoles(StaffRole.Clerk, StaffRole.Supervisor);

        citizens.MapPost("/search", async (SearchBody body, IMediator mediator, CancellationToken ct) =>
            Results.Ok(await mediator.Send(new FindCitizens(body.NationalId, body.Phone, body.Name, body.Limit), ct)))
            .Produces<CitizenSearchResult>().AllowRoles(StaffRole.Clerk, StaffRole.Dispatcher, StaffRole.Supervisor);

        citizens.MapGet("/{id:guid}", async (Guid id, IMediator mediator, CancellationToken ct) =>
            Results.Ok(await mediator.Send(new GetCitizen(id), ct)))
            .Produces<Citizen>().AllowRoles(StaffRole.Clerk, StaffRole.Dispatcher, StaffRole.Supervisor);

        citizens.MapPut("/{id:guid}", async (Guid id, CitizenBody body, IMediator mediator, CancellationToken ct) =>
            Results.Ok(await mediator.Send(new UpdateCitizen(id, body.Details, body.ExpectedVersion ?? body.Version), ct)))
            .Produces<Citizen>().AllowRoles(StaffRole.Clerk, StaffRole.Supervisor);

        citizens.MapPost("/{id:guid}/phone-pin", async (Guid id, IMediator mediator, CancellationToken ct) =>
            Results.Ok(await mediator.Send(new IssuePhonePin(id), ct)))
            .Produces<IssuedPhonePin>().AllowRoles(StaffRole.Clerk, StaffRole.Supervisor);

        citizens.MapPost("/{id:guid}/interactions", async (Guid id, InteractionBody body, IMediator mediator, CancellationToken ct) =>
        {
            var e = await mediator.Send(new LogInteraction(id, body.Type, body.Channel, body.Summary, body.Notes, body.OccurredAt, body.PerformedBy, body.CaseId), ct);
            return Results.Created($"/api/citizens/{id}/timeline", e);
        }).Produces<TimelineEvent>(StatusCodes.Status201Created).AllowRoles(StaffRole.Clerk, StaffRole.Dispatcher, StaffRole.Supervisor);

        citizens.MapGet("/{id:guid}/timeline", async (Guid id, long? before, int? limit, string? channel, string? kind, DateOnly? from, DateOnly? to,
                IMediator mediator, CancellationToken ct) =>
            Results.Ok(await mediator.Send(new GetCitizenTimeline(id, new TimelineFilter(channel, kind, from, to), before, limit), ct)))
            .Produces<TimelinePage>().AllowRoles(StaffRole.Clerk, StaffRole.Dispatcher, StaffRole.Supervisor);

        // The city's register export (docs/citizen-import.md), as the body (Content-Type: text/csv) or as the multipart field 'file'.
        citizens.MapPost("/imports", async (HttpContext http, IMediator mediator, IOptions<CitizenImportOptions> options, CancellationToken ct) =>
        {
            var limit = options.Value.MaxImportBytes;
            if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
                size.MaxRequestBodySize = limit + 64 * 1024; // room for the multipart envelope; the file itself is checked while copied
            if (http.Request.ContentLength > limit + 64 * 1024) return TooLarge(limit);
            // The upload is copied to a private temporary file (checked to be UTF-8 on the way) and read from there row by row:
            // the import commits in batches, so it must know the whole file is readable before it writes the first one.
            var path = Path.Combine(Path.GetTempPath(), $"citizencrm-import-{Guid.NewGuid():N}.csv");
            try
            {
                string name = "upload", hash;
                await using (var spool = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
                {
                    try
                    {
                        if (http.Request.HasFormContentType)
                        {
                            IFormCollection form;
                            try
                            {
                                form = await new FormFeature(http.Request, new FormOptions
                                {
                                    MultipartBodyLengthLimit = limit + 64 * 1024,
                                    MemoryBufferThreshold = 64 * 1024, // a larger file is buffered on disk by ASP.NET, not in memory
                                }).ReadFormAsync(ct);
                            }
                            catch (BadHttpRequestException tooLarge) when (tooLarge.StatusCode == 413)
                            {
                                return TooLarge(limit);
                            }
                            catch (Exception malformed) when (malformed is InvalidDataException or IOException or BadHttpRequestException)
                            {
                                return Results.Problem(statusCode: 400, title: "The form could not be read",
                                    detail: "The body is not the multipart form its Content-Type announces. Send the CSV file as the form field 'file' " +
                                            "(curl -F file=@citizens.csv), or as the body with 'Content-Type: text/csv' (curl --data-binary @citizens.csv).");
                            }
                            var file = form.Files.GetFile("file");
                            if (file is null)
                                return Results.Problem(statusCode: 400, title: "No file",
                                    detail: "The form has no field 'file': send the CSV file as the form field 'file' (curl -F file=@citizens.csv).");
                            if (file.Length > limit) return TooLarge(limit);
                            name = Path.GetFileName(file.FileName);
                            await using var upload = file.OpenReadStream();
                            hash = await CitizenCsv.CopyCheckedAsync(upload, spool, limit, ct);
                        }
                        else
                        {
                            var type = http.Request.ContentType ?? "";
                            if (!type.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase) && !type.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase))
                                return Results.Problem(statusCode: 415, title: "Send a CSV file",
                                    detail: "Send the file with 'Content-Type: text/csv' (curl --data-binary @citizens.csv), or as a multipart form field 'file'.");
                            hash = await CitizenCsv.CopyCheckedAsync(http.Request.Body, spool, limit, ct);
                        }
                    }
                    catch (FileTooLargeException)
                    {
                        return TooLarge(limit);
                    }
                    catch (BadHttpRequestException tooLarge) when (tooLarge.StatusCode == 413)
                    {
                        return TooLarge(limit);
                    }
                }
                return Results.Ok(await mediator.Send(new ImportCitizens(path, name, hash), ct));
            }
            finally
            {
                File.Delete(path);
            }
        }).Produces<CitizenImportReport>().AllowRoles(StaffRole.Admin);
    }

    private static IResult TooLarge(long limit) => Results.Problem(statusCode: 413, title: "File too large",
        detail: $"The file is larger than the {limit / (1024 * 1024)} MB allowed for an upload. Import it with the import-citizens command, or split it.");
}
