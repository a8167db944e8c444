using CitizenCrm.Core.Holidays;
using CitizenCrm.Core.Storage;
using Microsoft.Extensions.Options;

namespace CitizenCrm.Core.Cases;

/// <summary>
/// Statutory terms of the registry, in calendar days on the Europe/Bucharest calendar, counted from the
/// day after registration: a term of N days for a matter registered on day D ends on D + N.
/// </summary>
public static class Deadlines
{
    /// <summary>OG 27/2002 art. 8: a petition is answered within 30 days of registration.</summary>
    public const int PetitionDays = 30;
    /// <summary>OG 27/2002 art. 9 (Law 31/2018): extendable once, by at most 15 days, with notice before the term ends.</summary>
    public const int PetitionMaxExtensionDays = 15;
    /// <summary>OG 27/2002 art. 6^1: a wrongly addressed petition is forwarded within 5 days, the petitioner told.</summary>
    public const int ForwardDays = 5;
    /// <summary>Law 544/2001 art. 7(1): 10 days, or at most 30 when the requester is told so within the 10.</summary>
    public const int InformationDays = 10, InformationExtendedDays = 30;
    /// <summary>Law 544/2001 art. 7(2): a refusal is motivated within 5 days.</summary>
    public const int InformationRefusalDays = 5;

    public static DateOnly TermEnd(DateOnly registeredOn, int days) => registeredOn.AddDays(days);
    public static DateOnly ForwardBy(DateOnly registeredOn) => TermEnd(registeredOn, ForwardDays);
    public static DateOnly RefuseBy(DateOnly registeredOn) => TermEnd(registeredOn, InformationRefusalDays);
}

/// <summary>Turns a term into a due date, moving it off non-working days when the city hall chose so (see RegistryOptions).</summary>
public sealed class DeadlineCalendar(UnitOfWork uow, IOptions<RegistryOptions> options)
{
    public async Task<DateOnly> DueOnAsync(DateOnly registeredOn, int days, CancellationToken ct)
    {
        var end = Deadlines.TermEnd(registeredOn, days);
        if (!options.Value.MoveTermsOffNonWorkingDays) return end;
        var workingDays = await WorkingDays.LoadAsync(uow, end.Year, end.Year + 1, ct);
        return workingDays.OnOrNextWorkingDay(end);
    }
}
