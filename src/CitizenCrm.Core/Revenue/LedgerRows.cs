namespace CitizenCrm.Core.Revenue;

/// <summary>A tax obligation as stored (money in bani), read by the import and by the balance.</summary>
internal sealed record TaxObligationRow
{
    public const string Columns = """
        id AS Id, citizen_id AS CitizenId, source_ref AS SourceRef, tax_kind AS TaxKind, fiscal_year AS FiscalYear,
        description AS Description, amount_due AS AmountDue, amount_paid AS AmountPaid, increases AS Increases, exported_on AS ExportedOn
        """;

    public Guid Id { get; init; }
    public Guid CitizenId { get; init; }
    public string SourceRef { get; init; } = "";
    public string TaxKind { get; init; } = "";
    public int FiscalYear { get; init; }
    public string Description { get; init; } = "";
    public long AmountDue { get; init; }
    public long AmountPaid { get; init; }
    public long? Increases { get; init; }
    public DateOnly ExportedOn { get; init; }

    public TaxLine ToLine() => new(Id, TaxKind, FiscalYear, Description, Money.ToLei(AmountDue), Money.ToLei(AmountPaid),
        Increases is { } i ? Money.ToLei(i) : null, ExportedOn);
}

/// <summary>A fine as stored (money in bani), read by the import and by the unpaid-fines query.</summary>
internal sealed record FineRow
{
    public const string Columns = """
        id AS Id, citizen_id AS CitizenId, source_ref AS SourceRef, report_number AS ReportNumber, handed_over_on AS HandedOverOn,
        legal_basis AS LegalBasis, fine_category AS FineCategory, amount_applied AS AmountApplied, legal_minimum AS LegalMinimum,
        amount_paid AS AmountPaid, paid_on AS PaidOn, exported_on AS ExportedOn
        """;

    public Guid Id { get; init; }
    public Guid CitizenId { get; init; }
    public string SourceRef { get; init; } = "";
    public string ReportNumber { get; init; } = "";
    public DateOnly HandedOverOn { get; init; }
    public string LegalBasis { get; init; } = "";
    public string FineCategory { get; init; } = "";
    public long AmountApplied { get; init; }
    public long LegalMinimum { get; init; }
    public long AmountPaid { get; init; }
    public DateOnly? PaidOn { get; init; }
    public DateOnly ExportedOn { get; init; }
}
