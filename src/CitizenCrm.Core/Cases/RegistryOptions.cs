namespace CitizenCrm.Core.Cases;

/// <summary>Bound from the "Registry" configuration section.</summary>
public sealed class RegistryOptions
{
    /// <summary>Printed on receipts: "Primăria {CityName}".</summary>
    public string CityName { get; set; } = "Municipiului Alba Iulia";

    /// <summary>
    /// Whether a term that ends on a Saturday, Sunday or non-working day moves to the next working day.
    /// Default false: OG 27/2002 and Law 544/2001 give the city hall a number of calendar days to answer
    /// the citizen and say nothing of moving the last day; keeping the earlier date protects the citizen
    /// (DOMAIN.md: choose the reading that protects the citizen). A city that follows the civil-procedure
    /// rule (a term ending on a free day ends on the next working day) sets this to true.
    /// The taxes' terms move regardless (that is the citizen's own term, see the revenue ledger).
    /// </summary>
    public bool MoveTermsOffNonWorkingDays { get; set; }

    /// <summary>The largest document a clerk may attach to an answer.</summary>
    public long MaxDocumentBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>How many days before its deadline a case enters the dispatchers' queue by default.</summary>
    public int QueueDefaultDays { get; set; } = 7;
}
