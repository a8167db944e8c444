using CultureInfo = System.Globalization.CultureInfo;
using DateTimeStyles = System.Globalization.DateTimeStyles;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Storage;

namespace CitizenCrm.Core.Reports;

/// <summary>
/// What every supervisors' report is drawn for: a range of Bucharest calendar days (both ends included) and, optionally,
/// one department, one channel and one catalogue service. Reports show counts only, never a person: no citizen-read audit.
/// </summary>
public sealed record ReportScope(DateOnly From, DateOnly To, string? Department, string? Channel, string? Service)
{
    /// <summary>
    /// The longest range: a year, a leap year included (the Law 544/2001 yearly report is the longest report the law asks
    /// for). A longer range is refused rather than run, so one request cannot keep the database busy for minutes.
    /// </summary>
    public const int MaxDays = 366;

    /// <summary>The UTC instant at which the first day starts (timeline instants are compared with it).</summary>
    public long FromMs => Calendar.StartOfDay(From).ToUnixTimeMilliseconds();

    /// <summary>The UTC instant at which the day after the last one starts (exclusive).</summary>
    public long ToExclusiveMs => Calendar.StartOfDay(To.AddDays(1)).ToUnixTimeMilliseconds();

    /// <summary>The Dapper parameters every report's SQL uses.</summary>
    public object Parameters(DateOnly today) => new { From, To, FromMs, ToMs = ToExclusiveMs, Department, Channel, Service, Today = today };

    /// <summary>
    /// The department of a case: the one it was assigned to, else the department the catalogue makes responsible for its
    /// service. A petition not yet assigned has none, and shows under no department.
    /// </summary>
    public const string CaseDepartment = "COALESCE(c.assigned_department, s.department)";

    /// <summary>FROM clause for the cases and their catalogue service.</summary>
    public const string CasesFrom = " FROM cases c LEFT JOIN service_categories s ON s.code = c.category_code ";

    /// <summary>The department, channel and service filters on cases (alias c, service alias s); a missing filter lets all through.</summary>
    public const string CaseFilters = """
         (@Department IS NULL OR COALESCE(c.assigned_department, s.department) = @Department)
         AND (@Channel IS NULL OR c.channel = @Channel)
         AND (@Service IS NULL OR c.category_code = @Service)
        """;

    private const string ServiceExists = "SELECT COUNT(*) FROM service_categories WHERE code = @Code";

    /// <summary>A service that is not in the catalogue is a typo: say so instead of answering with zeros.</summary>
    public async Task EnsureServiceKnownAsync(UnitOfWork uow, CancellationToken ct)
    {
        if (Service is not null && await uow.ExecuteScalarAsync<long>(ServiceExists, new { Code = Service }, ct) == 0)
            throw ValidationFailedException.For("service", $"There is no service '{Service}' in the catalogue (GET /api/catalogue/services lists the codes).");
    }

    /// <summary>
    /// Reads and checks the query string's from, to, department, channel and service. Errors go to <paramref name="v"/>;
    /// the result is null when something is wrong.
    /// </summary>
    public static ReportScope? Read(Validation v, string? from, string? to, string? department, string? channel, string? service)
    {
        var f = Date(v, "from", from);
        var t = Date(v, "to", to);
        if (f is { } a && t is { } b)
        {
            if (b < a) v.Add("to", $"to ({b:yyyy-MM-dd}) is before from ({a:yyyy-MM-dd}); give the first day as from and the last as to.");
            else if (b.DayNumber - a.DayNumber + 1 > MaxDays)
                v.Add("to", $"A report covers at most {MaxDays} days; {a:yyyy-MM-dd} to {b:yyyy-MM-dd} is {b.DayNumber - a.DayNumber + 1}. Draw it in parts.");
        }
        department = string.IsNullOrWhiteSpace(department) ? null : department.Trim();
        v.MaxLength("department", department, 200, "The department");
        channel = string.IsNullOrWhiteSpace(channel) ? null : channel.Trim().ToLowerInvariant();
        if (channel is not null && !Timeline.Channels.All.Contains(channel))
            v.Add("channel", $"Unknown channel '{channel}'. Use one of: {string.Join(", ", Timeline.Channels.All)}.");
        service = string.IsNullOrWhiteSpace(service) ? null : service.Trim().ToLowerInvariant();
        v.MaxLength("service", service, 40, "The service");
        return v.IsValid && f is not null && t is not null ? new ReportScope(f.Value, t.Value, department, channel, service) : null;
    }

    internal static DateOnly? Date(Validation v, string field, string? text)
    {
        if (!v.Required(field, text, $"{field} (a Bucharest date, yyyy-MM-dd)")) return null;
        if (!DateOnly.TryParseExact(text!.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            v.Add(field, $"{field} must be a date written yyyy-MM-dd, e.g. 2026-03-01.");
            return null;
        }
        v.DateWithinReason(field, d, field);
        return d;
    }
}

/// <summary>
/// A report as a table, for its CSV form: a header and rows of text. Numbers are written with the invariant culture
/// (a dot for decimals), so a spreadsheet in any language reads them the same way.
/// </summary>
public interface IReportTable
{
    IReadOnlyList<string> CsvHeader();
    IEnumerable<IReadOnlyList<string>> CsvRows();
}

public static class ReportText
{
    public static string Of(long value) => value.ToString(CultureInfo.InvariantCulture);
    public static string Of(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "";
    public static string Of(decimal? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "";
    public static string Of(DateOnly value) => value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A share in percent with one decimal, or null when there is nothing to divide by.</summary>
    public static decimal? Percent(long part, long whole) => whole == 0 ? null : Decimals(100m * part / whole, 1);

    /// <summary>
    /// Rounded half away from zero and always written with that many decimals (100.0, not 100): adding a zero of that
    /// scale sets a decimal's scale, so JSON and CSV show the same text for the same figure.
    /// </summary>
    public static decimal Decimals(decimal value, int decimals) =>
        Math.Round(value, decimals, MidpointRounding.AwayFromZero) + (decimals == 1 ? 0.0m : 0.00m);
}

/// <summary>The query string of a report as it came: checked by <see cref="Validate"/>, read by <see cref="Scope"/>.</summary>
public sealed record ReportFilter(string? From, string? To, string? Department = null, string? Channel = null, string? Service = null)
{
    public void Validate(Validation v) => ReportScope.Read(v, From, To, Department, Channel, Service);

    public ReportScope Scope()
    {
        var v = new Validation();
        var scope = ReportScope.Read(v, From, To, Department, Channel, Service);
        v.ThrowIfInvalid();
        return scope!;
    }
}
