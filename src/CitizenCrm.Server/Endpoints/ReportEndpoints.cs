using CitizenCrm.Core.Common;
using CitizenCrm.Core.Reports;
using CitizenCrm.Server.Hosting;
using CsvHelper;
using Mediator;

namespace CitizenCrm.Server.Endpoints;

/// <summary>
/// Reports for supervisors (and admins): counts only, no person's data, so no citizen-read audit. Every report answers
/// JSON by default and CSV with ?format=csv or an Accept header naming text/csv (?format wins when both are given).
/// Dates are Bucharest calendar days, from and to both included.
/// </summary>
public static class ReportEndpoints
{
    public static void MapReportEndpoints(this RouteGroupBuilder api)
    {
        var reports = api.MapGroup("/reports").WithTags("Reports");
        StaffRole[] supervisors = [StaffRole.Supervisor, StaffRole.Admin];

        reports.MapGet("/interactions", (string? from, string? to, string? department, string? channel, string? service, string? format, HttpContext http, IMediator m, CancellationToken ct) =>
            Answer(http, format, "interactions", () => m.Send(new GetInteractionsPerDay(new ReportFilter(from, to, department, channel, service)), ct)))
            .Produces<InteractionsPerDay>().Produces<string>(StatusCodes.Status200OK, "text/csv").AllowRoles(supervisors);

        reports.MapGet("/cases", (string? from, string? to, string? department, string? channel, string? service, string? format, HttpContext http, IMediator m, CancellationToken ct) =>
            Answer(http, format, "cases", () => m.Send(new GetCaseFigures(new ReportFilter(from, to, department, channel, service)), ct)))
            .Produces<CaseFigures>().Produces<string>(StatusCodes.Status200OK, "text/csv").AllowRoles(supervisors);

        reports.MapGet("/answer-times", (string? from, string? to, string? department, string? channel, string? service, string? format, HttpContext http, IMediator m, CancellationToken ct) =>
            Answer(http, format, "answer-times", () => m.Send(new GetAnswerTimes(new ReportFilter(from, to, department, channel, service)), ct)))
            .Produces<AnswerTimes>().Produces<string>(StatusCodes.Status200OK, "text/csv").AllowRoles(supervisors);

        reports.MapGet("/phone-robot", (string? from, string? to, string? department, string? channel, string? service, string? format, HttpContext http, IMediator m, CancellationToken ct) =>
            Answer(http, format, "phone-robot", () => m.Send(new GetPhoneRobotFigures(new ReportFilter(from, to, department, channel, service)), ct)))
            .Produces<PhoneRobotFigures>().Produces<string>(StatusCodes.Status200OK, "text/csv").AllowRoles(supervisors);

        reports.MapGet("/notifications", (string? from, string? to, string? department, string? channel, string? service, string? format, HttpContext http, IMediator m, CancellationToken ct) =>
            Answer(http, format, "notifications", () => m.Send(new GetNotificationFigures(new ReportFilter(from, to, department, channel, service)), ct)))
            .Produces<NotificationFigures>().Produces<string>(StatusCodes.Status200OK, "text/csv").AllowRoles(supervisors);

        reports.MapGet("/daily-snapshots", (string? from, string? to, string? department, string? channel, string? service, string? format, HttpContext http, IMediator m, CancellationToken ct) =>
            Answer(http, format, "daily-snapshots", () => m.Send(new GetDailySnapshots(new ReportFilter(from, to, department, channel, service)), ct)))
            .Produces<DailySnapshots>().Produces<string>(StatusCodes.Status200OK, "text/csv").AllowRoles(supervisors);

        reports.MapGet("/law-544", (int? year, string? format, HttpContext http, IMediator m, CancellationToken ct) =>
            Answer(http, format, "law-544", () => m.Send(new GetLaw544YearlyReport(year), ct)))
            .Produces<LegalReport>().Produces<string>(StatusCodes.Status200OK, "text/csv").AllowRoles(supervisors);

        reports.MapGet("/petitions", (string? from, string? to, string? format, HttpContext http, IMediator m, CancellationToken ct) =>
            Answer(http, format, "petitions", () => m.Send(new GetPetitionActivityReport(from, to), ct)))
            .Produces<LegalReport>().Produces<string>(StatusCodes.Status200OK, "text/csv").AllowRoles(supervisors);
    }

    private static async Task<IResult> Answer<T>(HttpContext http, string? format, string name, Func<ValueTask<T>> report) where T : IReportTable
    {
        var csv = WantsCsv(http, format);
        var result = await report();
        if (!csv) return Results.Ok(result);
        var file = $"{name}.csv";
        return Results.File(ToCsv(result), "text/csv; charset=utf-8", file);
    }

    /// <summary>?format=csv|json decides; without it, an Accept header that names text/csv (and not JSON first) asks for CSV.</summary>
    private static bool WantsCsv(HttpContext http, string? format)
    {
        if (!string.IsNullOrWhiteSpace(format))
            return format.Trim().ToLowerInvariant() switch
            {
                "csv" => true,
                "json" => false,
                _ => throw ValidationFailedException.For("format", "format is csv or json (or leave it out and send Accept: text/csv for CSV)."),
            };
        var accept = http.Request.GetTypedHeaders().Accept;
        return accept.Count > 0 && accept.OrderByDescending(a => a.Quality ?? 1).First().MediaType.Value is { } first
            && first.Equals("text/csv", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// RFC 4180 with CsvHelper. A department or service name an admin typed could start with = + - @: such a field gets a
    /// leading apostrophe so a spreadsheet shows it instead of running it (CSV injection); counts are never negative.
    /// </summary>
    public static byte[] ToCsv(IReportTable table)
    {
        using var stream = new MemoryStream();
        using (var writer = CsvWriter.Create(stream, CsvWriterOptions.Default with { Injection = CsvInjection.Escape }, leaveOpen: true))
        {
            writer.WriteHeader([.. table.CsvHeader()]);
            foreach (var row in table.CsvRows()) writer.WriteRecord([.. row]);
            writer.Flush();
        }
        return stream.ToArray();
    }
}
