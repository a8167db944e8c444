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
            logger.LogError(exception, "Unhandled error on {Endpoint}",
                http.Features.Get<IExceptionHandlerFeature>()?.Endpoint?.DisplayName ?? http.Request.Method + " (no endpoint)");
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
        CitizenCrm.Core.Intake.PublicCaseNotFoundException p => new ProblemDetails { Status = 404, Title = p.Title, Detail = p.Detail },
        CitizenCrm.Core.Map.PublicReports.PublicReportNotFoundException r => new ProblemDetails { Status = 404, Title = r.Title, Detail = r.Detail },
        ConflictException c => new ProblemDetails { Status = 409, Title = c.Title, Detail = c.Detail },
        ForbiddenException f => new ProblemDetails { Status = 403, Title = f.Title, Detail = f.Detail },
        SignInFailedException s => new ProblemDetails { Status = 401, Title = s.Title, Detail = s.Detail },
        TooManyAttemptsException t => new ProblemDetails { Status = 429, Title = t.Title, Detail = t.Detail, Type = "https://www.rfc-editor.org/rfc/rfc6585#section-4" },
        BadHttpRequestException { StatusCode: 413 } => new ProblemDetails
            { Status = 413, Title = "Request too large", Detail = $"The request is larger than the {ServerApp.MaxJsonBodyBytes / 1024} KB allowed." },
        BadHttpRequestException { InnerException: JsonException json } => JsonProblem(json),
        // ASP.NET transcodes a JSON body from the charset its Content-Type names; a charset .NET does not know lands here.
        InvalidOperationException { InnerException: ArgumentException } unknown when unknown.Message.Contains("charset", StringComparison.Ordinal) =>
            new ProblemDetails
            {
                Status = 415, Title = "Unknown character set",
                Detail = "The charset named in the Content-Type is not one we can read. Send the body as UTF-8 with 'Content-Type: application/json; charset=utf-8' " +
                         "(windows-1250 and iso-8859-2 are read too).",
            },
        BadHttpRequestException b when BindFailure.Match(b.Message) is { Success: true } m => new HttpValidationProblemDetails(
            new Dictionary<string, string[]> { [m.Groups["name"].Value] = [$"'{m.Groups["value"].Value}' is not a valid value for {m.Groups["name"].Value}."] })
            { Status = 400, Title = "Some fields need correcting", Detail = $"'{m.Groups["value"].Value}' is not a valid value for {m.Groups["name"].Value}." },
        BadHttpRequestException { StatusCode: 415 } => new ProblemDetails
            { Status = 415, Title = "Unsupported content type", Detail = "Send the request body as JSON, with the header Content-Type: application/json." },
        BadHttpRequestException b when b.Message.Contains("body", StringComparison.OrdinalIgnoreCase) => new HttpValidationProblemDetails(
            new Dictionary<string, string[]> { ["body"] = ["This request needs a JSON body."] })
            { Status = 400, Title = "The request body is missing", Detail = "This request needs a JSON body (Content-Type: application/json)." },
        BadHttpRequestException b => new ProblemDetails { Status = b.StatusCode, Title = "Bad request", Detail = Sentence(b.Message) },
        CitizenCrm.Core.Storage.BatchLostException lost => new ProblemDetails { Status = 503, Title = "Not saved, try again", Detail = lost.Message },
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
        // System.Text.Json says "The JSON value could not be converted to System.Guid. Path: $.caseId" for a value of the
        // wrong type; anything else is broken JSON (cut off, a missing quote or comma).
        var wrongType = ExpectedType.Match(json.Message);
        // Invalid UTF-8 is refused, never silently replaced by U+FFFD: System.Text.Json says "Cannot transcode invalid UTF-8".
        var notUtf8 = json.InnerException is InvalidOperationException { Message: var inner } && inner.Contains("UTF-8", StringComparison.Ordinal);
        var message = notUtf8
            ? $"The request body is not valid UTF-8 text{(string.IsNullOrEmpty(field) ? "" : $" at '{field}'")}. Save it as UTF-8, or name its charset in the Content-Type (e.g. application/json; charset=windows-1250)."
            : !wrongType.Success
            ? string.IsNullOrEmpty(field)
                ? "The request body is not valid JSON."
                : $"The request body is not valid JSON: it is cut off or malformed at '{field}'."
            : string.IsNullOrEmpty(field)
            ? "The request body must be a JSON object in curly braces."
            : $"'{field}' must be {Describe(PropertyType(wrongType.Groups["type"].Value, field))}.";
        return new HttpValidationProblemDetails(new Dictionary<string, string[]> { [string.IsNullOrEmpty(field) ? "body" : field] = [message] })
            { Status = 400, Title = "The request body could not be read", Detail = message };
    }

    private static readonly System.Text.RegularExpressions.Regex ExpectedType =
        new("could not be converted to (?<type>[^.\\s]+(\\.[^.\\s]+)*)", System.Text.RegularExpressions.RegexOptions.Compiled);

    /// <summary>
    /// For a value of the wrong kind inside a body record, System.Text.Json names the record, not the field
    /// ("could not be converted to CitizenCrm...CitizenBody. Path: $.firstName"): find the field's own type on that record.
    /// </summary>
    private static string PropertyType(string named, string field)
    {
        if (!named.StartsWith("CitizenCrm.", StringComparison.Ordinal)) return named;
        var record = AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetType(named)).FirstOrDefault(t => t is not null);
        var last = field[(field.LastIndexOf('.') + 1)..];
        var name = last.Split('[')[0];
        var property = record?.GetProperty(name, System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.IgnoreCase);
        if (property is null) return named;
        var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        if (last.Contains('[') && type != typeof(string))
            type = type.IsArray ? type.GetElementType()! : type.GetGenericArguments().FirstOrDefault() ?? type;
        return (Nullable.GetUnderlyingType(type) ?? type).FullName ?? named;
    }

    private static string Describe(string type) => type switch
    {
        var t when t.StartsWith("CitizenCrm.", StringComparison.Ordinal) => "an object in curly braces", // a body record ("InteractionBody" is no Int)
        var t when t.Contains("List", StringComparison.Ordinal) || t.Contains("[]", StringComparison.Ordinal) => "a list in square brackets",
        var t when t.Contains("DateOnly", StringComparison.Ordinal) => "a date written yyyy-MM-dd",
        var t when t.Contains("DateTimeOffset", StringComparison.Ordinal) || t.Contains("DateTime", StringComparison.Ordinal) => "an instant in ISO 8601, e.g. 2026-03-31T09:30:00+03:00",
        var t when t.Contains("Guid", StringComparison.Ordinal) => "an id (a GUID)",
        var t when t.Contains("Boolean", StringComparison.Ordinal) => "true or false",
        var t when t.Contains("Int", StringComparison.Ordinal) => "a whole number",
        var t when t.Contains("Decimal", StringComparison.Ordinal) || t.Contains("Double", StringComparison.Ordinal) => "a number",
        var t when t.EndsWith("String", StringComparison.Ordinal) => "text in double quotes",
        _ => "a value of another kind (see the OpenAPI document at /openapi/v1.json)",
    };

    // ASP.NET says: Failed to bind parameter "Nullable<long> before" from "abc".
    private static readonly System.Text.RegularExpressions.Regex BindFailure =
        new("^Failed to bind parameter \"[^\"]* (?<name>\\w+)\" from \"(?<value>.*)\"\\.?$", System.Text.RegularExpressions.RegexOptions.Compiled);

    // ASP.NET's messages name parameters the way a developer would; they are still the most precise text we have.
    private static string Sentence(string message) => message.EndsWith('.') ? message : message + ".";
}
