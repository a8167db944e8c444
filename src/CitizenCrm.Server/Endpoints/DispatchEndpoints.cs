using System.Globalization;
using System.Text.Json;
using CitizenCrm.Core.Citizens;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Dispatch;
using CitizenCrm.Server.Hosting;
using Mediator;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace CitizenCrm.Server.Endpoints;

/// <summary>The dispatchers' queue: one list of everything waiting for a person, the actions on it, and its live stream.</summary>
public static class DispatchEndpoints
{
    public sealed record VersionBody(int? Version);
    public sealed record AssignBody(string? Department, string? StaffUsername, int? Version);
    public sealed record BulkAssignBody(List<Guid>? CaseIds, string? Department, string? StaffUsername, List<int>? Versions);
    public sealed record PriorityBody(string? Priority, int? Version);
    public sealed record NewCitizenBody(
        string? IdType, string? NationalId, string? FirstName, string? LastName, DateOnly? DateOfBirth,
        string? Address, List<string>? Phones, List<string>? Emails, string? PreferredLanguage);
    public sealed record LinkBody(Guid? CitizenId, NewCitizenBody? Citizen, int? Version);
    public sealed record DuplicateBody(Guid? OfCaseId, int? Version);
    public sealed record ReclassifyBody(string? Kind, string? Service, string? Reason, int? Version);

    /// <summary>The refused cases of a bulk action, beside the problem's detail.</summary>
    public sealed record RefusedCasesProblem(string Type, string Title, int Status, string Detail, IReadOnlyList<RefusedCase> Refused);

    public static IServiceCollection AddDispatch(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<DispatchOptions>(configuration.GetSection("Dispatch"));
        return services;
    }

    public static void MapDispatchEndpoints(this RouteGroupBuilder api)
    {
        var dispatch = api.MapGroup("/dispatch").WithTags("Dispatch");
        StaffRole[] readers = [StaffRole.Clerk, StaffRole.Dispatcher, StaffRole.Supervisor];
        StaffRole[] dispatchers = [StaffRole.Dispatcher, StaffRole.Supervisor];

        dispatch.MapGet("/queue", async (string? department, string? status, string? channel, string? kind, string? service, string? assignee,
                bool? overdue, int? dueWithinDays, bool? unmatched, int? limit, string? cursor, IMediator mediator, CancellationToken ct) =>
            Results.Ok(await mediator.Send(new GetDispatchQueue(department, status, channel, kind, service, assignee, overdue, dueWithinDays, unmatched, limit, cursor), ct)))
            .Produces<DispatchQueue>().AllowRoles(readers);

        // Whom work can be given to (the staff accounts list itself is the admins'): username, name, role, department.
        dispatch.MapGet("/assignees", async (IMediator mediator, CancellationToken ct) => Results.Ok(await mediator.Send(new GetAssignees(), ct)))
            .Produces<Assignees>().AllowRoles(dispatchers);

        dispatch.MapGet("/stream", Stream).Produces<string>(StatusCodes.Status200OK, "text/event-stream")
            .ProducesProblem(StatusCodes.Status406NotAcceptable).AllowRoles(readers);

        var cases = dispatch.MapGroup("/cases");
        // Claiming is for whoever works the queue, clerks included; giving work to others is the dispatchers' and supervisors'.
        cases.MapPost("/{id:guid}/claim", (Guid id, VersionBody? body, IMediator m, CancellationToken ct) =>
            Ok(m.Send(new ClaimCase(id, body?.Version), ct))).Produces<DispatchCaseResult>().AllowRoles(readers);
        cases.MapPost("/{id:guid}/assign", async (Guid id, AssignBody? body, IMediator m, CancellationToken ct) =>
        {
            try
            {
                var result = await m.Send(new AssignCases([id], body?.Department, body?.StaffUsername, body?.Version is { } v ? [v] : null), ct);
                return Results.Ok(result.Cases[0]);
            }
            catch (CasesRefusedException refused) when (refused.Refused.Count == 1)
            {
                // One case: its own reason is the answer (409 for a case no longer open or changed meanwhile, 404 for none).
                var reason = refused.Refused[0].Reason;
                return Results.Problem(statusCode: refused.Refused[0].RegistrationNumber is null ? 404 : 409,
                    title: refused.Refused[0].RegistrationNumber is null ? "Not found" : "Cannot assign", detail: reason);
            }
        }).Produces<DispatchCaseResult>().AllowRoles(dispatchers);
        cases.MapPost("/assign", async (BulkAssignBody? body, IMediator m, CancellationToken ct) =>
        {
            try
            {
                return Results.Ok(await m.Send(new AssignCases(body?.CaseIds, body?.Department, body?.StaffUsername, body?.Versions), ct));
            }
            catch (CasesRefusedException refused)
            {
                return Results.Json(new RefusedCasesProblem("https://www.rfc-editor.org/rfc/rfc9110#section-15.5.10", refused.Title, 409, refused.Detail, refused.Refused),
                    statusCode: 409, contentType: "application/problem+json");
            }
        }).Produces<BulkAssignResult>().Produces<RefusedCasesProblem>(StatusCodes.Status409Conflict, "application/problem+json").AllowRoles(dispatchers);
        cases.MapPost("/{id:guid}/priority", (Guid id, PriorityBody? body, IMediator m, CancellationToken ct) =>
            Ok(m.Send(new SetCasePriority(id, body?.Priority, body?.Version), ct))).Produces<DispatchCaseResult>().AllowRoles(dispatchers);
        cases.MapPost("/{id:guid}/link", (Guid id, LinkBody? body, IMediator m, CancellationToken ct) =>
        {
            var c = body?.Citizen;
            var citizen = c is null ? null : new NewCitizen(c.IdType, c.NationalId,
                new CitizenDetails(c.FirstName, c.LastName, c.DateOfBirth, c.Address, c.Phones, c.Emails, c.PreferredLanguage));
            return Ok(m.Send(new LinkCaseToCitizen(id, body?.CitizenId, citizen, body?.Version), ct));
        }).Produces<DispatchCaseResult>().AllowRoles(dispatchers);
        cases.MapPost("/{id:guid}/duplicate", (Guid id, DuplicateBody? body, IMediator m, CancellationToken ct) =>
            Ok(m.Send(new MarkCaseDuplicate(id, body?.OfCaseId, body?.Version), ct))).Produces<DispatchCaseResult>().AllowRoles(dispatchers);
        cases.MapPost("/{id:guid}/reclassify", (Guid id, ReclassifyBody? body, IMediator m, CancellationToken ct) =>
            Ok(m.Send(new ReclassifyCase(id, body?.Kind, body?.Service, body?.Reason, body?.Version), ct))).Produces<DispatchCaseResult>().AllowRoles(dispatchers);
    }

    private static async Task<IResult> Ok<T>(ValueTask<T> work) => Results.Ok(await work);

    /// <summary>
    /// Server-sent events: each change that concerns the queue, read from the timeline in the database (so a change
    /// committed by any server process arrives), with the timeline's sequence as the event id. A client reconnecting
    /// with Last-Event-ID gets every change after it. The token travels in the Authorization header — a browser's
    /// EventSource cannot send one, so screens use a fetch-based SSE client; a token in the URL would end up in logs.
    /// </summary>
    private static async Task Stream(HttpContext http, IServiceScopeFactory scopes, IOptions<DispatchOptions> options, IHostApplicationLifetime lifetime,
        CancellationToken aborted)
    {
        // A stream never ends by itself: it ends when the client goes or the server stops (else shutdown waits for it).
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(aborted, lifetime.ApplicationStopping);
        var ct = linked.Token;
        // An SSE client says it wants events (EventSource and fetch-based clients send text/event-stream, curl */*). A
        // request that accepts nothing of the kind — a link checker, a plain GET — is answered at once instead of held open.
        var accept = http.Request.GetTypedHeaders().Accept;
        if (accept.Count == 0 || !accept.Any(a => a.MediaType.Equals("text/event-stream", StringComparison.OrdinalIgnoreCase) || a.MediaType.Equals("*/*", StringComparison.Ordinal)))
        {
            await Results.Problem(statusCode: 406, title: "Not acceptable",
                detail: "This is a server-sent events stream: send the header 'Accept: text/event-stream'.").ExecuteAsync(http);
            return;
        }
        long after;
        var lastEventId = http.Request.Headers["Last-Event-ID"].ToString();
        if (lastEventId.Length > 0)
        {
            if (!long.TryParse(lastEventId, NumberStyles.None, CultureInfo.InvariantCulture, out after))
            {
                await Results.ValidationProblem(new Dictionary<string, string[]> { ["Last-Event-ID"] = ["Last-Event-ID must be the id of an event this stream sent (a whole number)."] },
                    detail: "Last-Event-ID must be the id of an event this stream sent (a whole number).", title: "Some fields need correcting").ExecuteAsync(http);
                return;
            }
        }
        else after = await SendAsync(scopes, new GetLatestTimelineSeq(), ct);

        var o = options.Value;
        var poll = TimeSpan.FromMilliseconds(Math.Clamp(o.StreamPollMilliseconds, 50, 5000));
        var heartbeat = TimeSpan.FromSeconds(Math.Clamp(o.StreamHeartbeatSeconds, 1, 300));
        http.Response.ContentType = "text/event-stream; charset=utf-8";
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers["X-Accel-Buffering"] = "no"; // nginx would otherwise hold events back in its buffer
        http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResponseBodyFeature>()?.DisableBuffering();
        var json = new JsonSerializerOptions(http.JsonOptions()) { WriteIndented = false }; // one event, one data line
        try
        {
            // The first event says where the stream starts, so even a client that saw no change yet reconnects from here.
            await WriteAsync(http, $"retry: 2000\nid: {after}\nevent: ready\ndata: {{\"seq\":{after}}}\n\n", ct);
            var quietSince = DateTime.UtcNow;
            while (!ct.IsCancellationRequested)
            {
                var read = await SendAsync(scopes, new GetDispatchChanges(after), ct);
                foreach (var change in read.Changes)
                    await WriteAsync(http, $"id: {change.Seq}\nevent: change\ndata: {JsonSerializer.Serialize(change, json)}\n\n", ct);
                if (read.Changes.Count > 0) quietSince = DateTime.UtcNow;
                if (DateTime.UtcNow - quietSince >= heartbeat)
                {
                    await WriteAsync(http, ": heartbeat\n\n", ct); // a comment: clients ignore it, proxies see traffic
                    quietSince = DateTime.UtcNow;
                }
                if (read.ReadUpTo > after)
                {
                    after = read.ReadUpTo;
                    continue; // more may be behind a full batch; read on until nothing is new
                }
                await Task.Delay(poll, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { } // the client went away, or the server stops
        catch (IOException) when (ct.IsCancellationRequested) { }
    }

    private static async Task WriteAsync(HttpContext http, string text, CancellationToken ct)
    {
        await http.Response.WriteAsync(text, ct);
        await http.Response.Body.FlushAsync(ct);
    }

    /// <summary>Each read in a scope of its own: one short-lived connection per poll, none held while the stream idles.</summary>
    private static async Task<T> SendAsync<T>(IServiceScopeFactory scopes, IQuery<T> query, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(query, ct);
    }
}
