namespace CitizenCrm.Core.Common;

/// <summary>
/// Legal calendar dates (registration day, due dates, the year of a registration number) are
/// dates in Bucharest, never the UTC date: 00:30 local on 1 January already belongs to the new year.
/// </summary>
public static class Calendar
{
    public static readonly TimeZoneInfo Bucharest = TimeZoneInfo.FindSystemTimeZoneById("Europe/Bucharest");

    public static DateOnly LocalDate(DateTimeOffset instant) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, Bucharest).DateTime);

    public static DateOnly Today(TimeProvider clock) => LocalDate(clock.GetUtcNow());

    /// <summary>The UTC instant at which a Bucharest calendar day starts.</summary>
    public static DateTimeOffset StartOfDay(DateOnly date)
    {
        var local = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, Bucharest.GetUtcOffset(local));
    }

    public static long ToMs(DateTimeOffset instant) => instant.ToUnixTimeMilliseconds();
    public static DateTimeOffset FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}
