using CitizenCrm.Core.Common;
using CitizenCrm.Core.Storage;
using CitizenCrm.Core.Timeline;
using Mediator;

namespace CitizenCrm.Core.Holidays;

public sealed record NonWorkingDay(DateOnly Day, string Reason, string Source);

/// <summary>An admin adds a day the government declared free (a bridge day), citing the decision.</summary>
public sealed record DeclareNonWorkingDay(DateOnly? Day, string? Reason) : ICommand<NonWorkingDay>, IValidatable
{
    public void Validate(Validation v)
    {
        // A government declares bridge days months ahead, not centuries: outside 2000-2100 the year is a typo
        // (9999-12-31), and such a row would sit in the deadline calendar for ever.
        if (v.Required("day", Day, "The day") && Day!.Value.Year is < 2000 or > 2100)
            v.Add("day", $"The day must fall between 2000 and 2100; {Day.Value:yyyy-MM-dd} looks like a typo in the year.");
        if (v.Required("reason", Reason, "The reason (e.g. the government decision)")) v.MaxLength("reason", Reason, 200, "The reason");
    }
}

public sealed class DeclareNonWorkingDayHandler(UnitOfWork uow, Timeline.Timeline timeline, RequestContext context, TimeProvider clock)
    : ICommandHandler<DeclareNonWorkingDay, NonWorkingDay>
{
    private const string Exists = "SELECT COUNT(*) FROM non_working_days WHERE day = @Day";
    private const string Insert = "INSERT INTO non_working_days (day, reason, declared_by, declared_at) VALUES (@Day, @Reason, @DeclaredBy, @At)";

    public async ValueTask<NonWorkingDay> Handle(DeclareNonWorkingDay command, CancellationToken ct)
    {
        var day = command.Day!.Value;
        if (LegalHolidays.For(day.Year).Any(h => h.Day == day))
            throw new ConflictException($"{day:yyyy-MM-dd} is already a legal holiday.");
        if (await uow.ExecuteScalarAsync<long>(Exists, new { Day = day }, ct) > 0)
            throw new ConflictException($"{day:yyyy-MM-dd} is already declared a non-working day.");
        await uow.ExecuteAsync(Insert, new { Day = day, Reason = command.Reason!.Trim(), DeclaredBy = context.Actor, At = clock.GetUtcNow().ToUnixTimeMilliseconds() }, ct);
        await timeline.AppendAsync(new TimelineEntry
        {
            Kind = "calendar.non_working_day_declared",
            Channel = Channels.System,
            Summary = $"{day:yyyy-MM-dd} declared a non-working day: {command.Reason!.Trim()}",
        }, ct);
        return new NonWorkingDay(day, command.Reason.Trim(), "declared");
    }
}

/// <summary>Legal holidays and declared days of one year, in date order.</summary>
public sealed record ListNonWorkingDays(int Year) : IQuery<IReadOnlyList<NonWorkingDay>>, IValidatable
{
    public void Validate(Validation v)
    {
        if (Year is < 1990 or > 2200) v.Add("year", "The year must be between 1990 and 2200.");
    }
}

public sealed class ListNonWorkingDaysHandler(UnitOfWork uow) : IQueryHandler<ListNonWorkingDays, IReadOnlyList<NonWorkingDay>>
{
    private sealed record Row
    {
        public DateOnly Day { get; init; }
        public string Reason { get; init; } = "";
    }

    public async ValueTask<IReadOnlyList<NonWorkingDay>> Handle(ListNonWorkingDays query, CancellationToken ct)
    {
        var declared = await uow.QueryAsync<Row>("SELECT day AS Day, reason AS Reason FROM non_working_days WHERE day >= @From AND day <= @To",
            new { From = new DateOnly(query.Year, 1, 1), To = new DateOnly(query.Year, 12, 31) }, ct);
        return LegalHolidays.For(query.Year).Select(h => new NonWorkingDay(h.Day, h.Name, "law"))
            .Concat(declared.Select(d => new NonWorkingDay(d.Day, d.Reason, "declared")))
            .OrderBy(d => d.Day).ToList();
    }
}
