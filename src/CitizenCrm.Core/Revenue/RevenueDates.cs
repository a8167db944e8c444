using CitizenCrm.Core.Common;

namespace CitizenCrm.Core.Revenue;

internal static class RevenueDates
{
    /// <summary>Balances are projected only over years the calendar and the tax rules are known for.</summary>
    public static void ValidateAsOf(Validation v, DateOnly? asOf)
    {
        if (asOf is { Year: < 1990 or > 2200 })
            v.Add("asOf", "The date must be in the years 1990 to 2200.");
    }
}
