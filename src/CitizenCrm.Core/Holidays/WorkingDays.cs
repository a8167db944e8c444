using CitizenCrm.Core.Storage;

namespace CitizenCrm.Core.Holidays;

/// <summary>
/// Which days the city hall works: not Saturdays, Sundays, legal holidays, or days the government declared free.
/// A pure value, loaded once per request for the years it needs.
/// </summary>
public sealed class WorkingDays(IReadOnlyDictionary<DateOnly, string> nonWorking)
{
    public bool IsWorkingDay(DateOnly day) =>
        day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !nonWorking.ContainsKey(day);

    public string? HolidayName(DateOnly day) => nonWorking.GetValueOrDefault(day);

    /// <summary>The day itself if it is a working day, else the next one (a term falling on a free day slides).</summary>
    public DateOnly OnOrNextWorkingDay(DateOnly day)
    {
        while (!IsWorkingDay(day)) day = day.AddDays(1);
        return day;
    }

    public static async Task<WorkingDays> LoadAsync(UnitOfWork uow, int fromYear, int toYear, CancellationToken ct)
    {
        var days = new Dictionary<DateOnly, string>();
        for (var y = fromYear; y <= toYear; y++)
            foreach (var (day, name) in LegalHolidays.For(y)) days[day] = name;
        var declared = await uow.QueryAsync<DeclaredDay>(
            "SELECT day AS Day, reason AS Reason FROM non_working_days WHERE day >= @From AND day <= @To",
            new { From = new DateOnly(fromYear, 1, 1), To = new DateOnly(toYear, 12, 31) }, ct);
        foreach (var d in declared) days[d.Day] = d.Reason;
        return new WorkingDays(days);
    }

    private sealed record DeclaredDay
    {
        public DateOnly Day { get; init; }
        public string Reason { get; init; } = "";
    }
}
