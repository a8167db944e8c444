namespace CitizenCrm.Core.Revenue;

/// <summary>Bound from the "Revenue" configuration section.</summary>
public sealed class RevenueOptions
{
    /// <summary>
    /// Early-payment discount (bonificație) in percent of the year's tax, for building, land and vehicle tax paid
    /// in full by the first term. Set each year by the local council, at most 10 % (Fiscal Code art. 462(2), 467(2), 472(2)).
    /// </summary>
    public decimal EarlyPaymentDiscountPercent { get; set; } = 10m;

    /// <summary>Decimals kept when late-payment increases are rounded: 2 = to the ban (default), 0 = to the leu.</summary>
    public int IncreaseRoundingDecimals { get; set; } = 2;

    /// <summary>How a half is rounded: AwayFromZero (default), ToEven, ToZero, ToNegativeInfinity, ToPositiveInfinity.</summary>
    public MidpointRounding IncreaseRounding { get; set; } = MidpointRounding.AwayFromZero;

    /// <summary>Largest revenue export the admin endpoint accepts, in bytes (413 beyond it). The CLI reads any size.</summary>
    public long MaxImportBytes { get; set; } = 20 * 1024 * 1024;

    public void Check()
    {
        if (EarlyPaymentDiscountPercent is < 0 or > 10)
            throw new InvalidOperationException("Revenue:EarlyPaymentDiscountPercent must be between 0 and 10 (Fiscal Code art. 462(2): up to 10 %).");
        if (IncreaseRoundingDecimals is < 0 or > 2)
            throw new InvalidOperationException("Revenue:IncreaseRoundingDecimals must be 0, 1 or 2.");
    }
}

/// <summary>Money is bani (long) in storage and lei (decimal) in C#; it never passes through floating point.</summary>
public static class Money
{
    /// <summary>Bani to lei, with two decimals (scale 2: 38 lei reads 38.00).</summary>
    public static decimal ToLei(long bani) => bani * 0.01m;

    /// <summary>Lei with at most two decimals to bani; throws when a fraction of a ban would be lost.</summary>
    public static long ToBani(decimal lei)
    {
        var bani = lei * 100m;
        if (bani != decimal.Truncate(bani)) throw new ArgumentException($"{lei} lei has more than two decimals.", nameof(lei));
        return checked((long)bani);
    }

    /// <summary>To the ban, half away from zero.</summary>
    public static decimal ToBan(decimal lei) => Math.Round(lei, 2, MidpointRounding.AwayFromZero);
}
