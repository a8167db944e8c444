-- The revenue ledger: local taxes and fines as the city's revenue system exports them.
-- The revenue system is the authority; these rows are its latest figures, keyed by its own source reference.
-- Money is BIGINT in bani (1 leu = 100 bani), never a floating-point type.

CREATE TABLE tax_obligations (
    id            uniqueidentifier NOT NULL PRIMARY KEY,
    citizen_id    uniqueidentifier NOT NULL REFERENCES citizens (id),
    source_ref    nvarchar(100) NOT NULL UNIQUE,             -- the revenue system's reference
    tax_kind      nvarchar(10) NOT NULL CHECK (tax_kind IN (N'building', N'land', N'vehicle', N'other')),
    fiscal_year   BIGINT       NOT NULL,
    description   nvarchar(300) NOT NULL,                    -- address or plate, as exported
    amount_due    BIGINT       NOT NULL CHECK (amount_due >= 0),
    amount_paid   BIGINT       NOT NULL CHECK (amount_paid >= 0),
    increases     BIGINT       NULL CHECK (increases >= 0), -- unpaid late-payment increases as of exported_on, when given
    exported_on   date         NOT NULL,                    -- Bucharest date the figures are as of
    import_batch  uniqueidentifier NOT NULL,
    updated_at    BIGINT       NOT NULL,
    version       BIGINT       NOT NULL DEFAULT 1
);
CREATE INDEX ix_tax_obligations_citizen ON tax_obligations (citizen_id, fiscal_year, tax_kind);

CREATE TABLE fines (
    id             uniqueidentifier NOT NULL PRIMARY KEY,
    citizen_id     uniqueidentifier NOT NULL REFERENCES citizens (id),
    source_ref     nvarchar(100) NOT NULL UNIQUE,
    report_number  nvarchar(50) NOT NULL,                   -- the offence report (proces-verbal)
    handed_over_on date         NOT NULL,                   -- day the report was handed over or communicated
    legal_basis    nvarchar(200) NOT NULL,
    fine_category  nvarchar(30) NOT NULL,                   -- selects the half-minimum rule (see FineRules.cs)
    amount_applied BIGINT       NOT NULL CHECK (amount_applied >= 0),
    legal_minimum  BIGINT       NOT NULL CHECK (legal_minimum >= 0),
    amount_paid    BIGINT       NOT NULL CHECK (amount_paid >= 0),
    paid_on        date         NULL,                       -- day of the last payment, when anything was paid
    exported_on    date         NOT NULL,
    import_batch   uniqueidentifier NOT NULL,
    updated_at     BIGINT       NOT NULL,
    version        BIGINT       NOT NULL DEFAULT 1
);
CREATE INDEX ix_fines_citizen ON fines (citizen_id, handed_over_on);

CREATE TABLE revenue_imports (
    batch_id     uniqueidentifier NOT NULL PRIMARY KEY,
    imported_at  BIGINT       NOT NULL,
    actor        nvarchar(100) NOT NULL,
    source_name  nvarchar(300) NOT NULL,
    rows_total   BIGINT       NOT NULL,
    rows_added   BIGINT       NOT NULL,
    rows_corrected BIGINT     NOT NULL,
    rows_unchanged BIGINT     NOT NULL,
    rows_rejected  BIGINT     NOT NULL
);
