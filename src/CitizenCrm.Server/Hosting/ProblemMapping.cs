using System.Text.Json;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Staff;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace CitizenCrm.Server.Hosting;

/// <summary>
/// Turns every failure into an RFC 9457 problem a clerk can read. Anything unexpected is a 500 whose
/// transaction was rolled back, so the answer says plainly that nothing was saved.
/// </summary>
public sealed class ProblemMapping(IProblemDetailsService problems, ILogger<ProblemMapping> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        var problem = ToProblem(exception, http);
        if (problem.Status >= 500)
            logger.LogError(exception, "Unhandled error on {Method} {Route}", http.Request.Method, http.GetEndpoint()?.DisplayName ?? "(no endpoint)");
        if (exception is TooManyAttemptsException tooMany)
            http.Response.Headers.RetryAfter = ((int)tooMany.RetryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        http.Response.StatusCode = problem.Status ?? 500;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem, Exception = exception });
    }

    public static ProblemDetails ToProblem(Exception exception, HttpContext http) => exception switch
    {
        ValidationFailedException v => new HttpValidationProblemDetails(v.Errors.ToDictionary(e => e.Key, e => e.Value))
            { Status = 400, Title = v.Title, Detail = v.Detail },
        NotFoundException n => new ProblemDetails { Status = 404, Title = n.Title, Detail = n.Detail },
        ConflictException c => new ProblemDetails { Status = 409, Title = c.Title, Detail = c.Detail },
        ForbiddenException f => new ProblemDetails { Status = 403, Title = f.Title, Detail = f.Detail },
        SignInFailedException s => new ProblemDetails { Status = 401, Title = s.Title, Detail = s.Detail },
        TooManyAttemptsException t => new ProblemDetails { Status = 429, Title = t.Title, Detail = t.Detail },
        BadHttpRequestException { StatusCode: 413 } => new ProblemDetails
            { Status = 413, Title = "Request too large", Detail = $"The request is larger than the {ServerApp.MaxJsonBodyBytes / 1024} KB allowed." },
        BadHttpRequestException { InnerException: JsonException json } => JsonProblem(json),
        BadHttpRequestException b when BindFailure.Match(b.Message) is { Success: true } m => new HttpValidationProblemDetails(
            new Dictionary<string, string[]> { [m.Groups["name"].Value] = [$"'{m.Groups["value"].Value}' is not a valid value for {m.Groups["name"].Value}."] })
            { Status = 400, Title = "Some fields need correcting", Detail = $"'{m.Groups["value"].Value}' is not a valid value for {m.Groups["name"].Value}." },
        BadHttpRequestException { StatusCode: 415 } => new ProblemDetails
            { Status = 415, Title = "Unsupported content type", Detail = "Send the request body as JSON, with the header Content-Type: application/json." },
        BadHttpRequestException b when b.Message.Contains("body", StringComparison.OrdinalIgnoreCase) => new HttpValidationProblemDetails(
            new Dictionary<string, string[]> { ["body"] = ["This request needs a JSON body."] })
            { Status = 400, Title = "The request body is missing", Detail = "This request needs a JSON body (Content-Type: application/json)." },
        BadHttpRequestException b => new ProblemDetails { Status = b.StatusCode, Title = "Bad request", Detail = Sentence(b.Message) },
        OperationCanceledException when http.RequestAborted.IsCancellationRequested =>
            new ProblemDetails { Status = 499, Title = "Request cancelled", Detail = "The client went away; nothing was saved." },
        _ => new ProblemDetails
        {
            Status = 500, Title = "Something went wrong on our side",
            Detail = "The request could not be completed and nothing was saved. Try again; if it happens again, tell the IT team the time it happened.",
        },
    };

    private static ProblemDetails JsonProblem(JsonException json)
    {
        var field = (json.Path ?? "$").TrimStart('$').TrimStart('.');
        var message = string.IsNullOrEmpty(field)
            ? "The request body is not valid JSON."
            : $"The value of '{field}' is not in the expected format (dates are yyyy-MM-dd, instants ISO 8601, ids GUIDs).";
        return new HttpValidationProblemDetails(new Dictionary<string, string[]> { [string.IsNullOrEmpty(field) ? "body" : field] = [message] })
            { Status = 400, Title = "The request body could not be read", Detail = message };
    }

    // ASP.NET says: Failed to bind parameter "Nullable<long> before" from "abc".
    private static readonly System.Text.RegularExpressions.Regex BindFailure =
        new("^Failed to bind parameter \"[^\"]* (?<name>\\w+)\" from \"(?<value>.*)\"\\.?$", System.Text.RegularExpressions.RegexOptions.Compiled);

    // ASP.NET's messages name parameters the way a developer would; they are still the most precise text we have.
    private static string Sentence(string message) => message.EndsWith('.') ? message : message + ".";
}
