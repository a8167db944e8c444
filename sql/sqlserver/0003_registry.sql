-- The registry desk (issue 4): registers, their yearly counters, service categories, cases, documents.

-- A register numbers what is recorded in it, per calendar year. 'general' is the city hall's
-- registru general de intrare-ieșire: incoming matters and the outgoing answers to them share it.
CREATE TABLE registers (
    code       nvarchar(20) NOT NULL PRIMARY KEY,
    name       nvarchar(200) NOT NULL,
    created_at BIGINT       NOT NULL
);
INSERT INTO registers (code, name, created_at) VALUES (N'general', N'Registrul general de intrare-ieșire', 0);

-- Gapless numbers: one row per register and Bucharest calendar year, incremented inside the
-- registering transaction (a rolled-back registration rolls its number back too). Never a sequence:
-- PostgreSQL sequences and SQL Server identities are not transactional.
CREATE TABLE registration_counters (
    register_code nvarchar(20) NOT NULL REFERENCES registers (code),
    year          BIGINT      NOT NULL,
    value         BIGINT      NOT NULL,
    PRIMARY KEY (register_code, year)
);

-- Service requests are answered within their category's processing time (calendar days).
-- The defaults below are a starting set; each city hall sets its own (admin endpoint).
CREATE TABLE service_categories (
    code            nvarchar(40) NOT NULL PRIMARY KEY,
    name            nvarchar(200) NOT NULL,
    processing_days BIGINT       NOT NULL CHECK (processing_days BETWEEN 1 AND 365),
    active          BIGINT       NOT NULL DEFAULT 1
);
INSERT INTO service_categories (code, name, processing_days) VALUES
    (N'general', N'Cerere generală', 30),
    (N'fiscal_certificate', N'Certificat de atestare fiscală', 2),
    (N'urbanism_certificate', N'Certificat de urbanism', 30),
    (N'building_permit', N'Autorizație de construire', 30),
    (N'civil_status', N'Acte de stare civilă', 5),
    (N'public_works', N'Sesizare drumuri, iluminat, salubritate', 30),
    (N'parking_permit', N'Abonament / autorizație de parcare', 10);

CREATE TABLE cases (
    id                  uniqueidentifier NOT NULL PRIMARY KEY,
    register_code       nvarchar(20) NOT NULL REFERENCES registers (code),
    number              BIGINT       NOT NULL,
    year                BIGINT       NOT NULL,
    kind                nvarchar(30) NOT NULL CHECK (kind IN (N'petition', N'information_request', N'service_request')),
    category_code       nvarchar(40) NULL REFERENCES service_categories (code),
    status              nvarchar(20) NOT NULL CHECK (status IN (N'registered', N'assigned', N'in_progress', N'answered', N'closed',
                                                               N'forwarded', N'joined', N'filed', N'rejected')),
    channel             nvarchar(10) NOT NULL,
    subject             nvarchar(300) NOT NULL,
    description         nvarchar(max) NULL,
    -- The party: exactly one of citizen, organisation, contact; or none for an anonymous petition.
    party_kind          nvarchar(20) NOT NULL CHECK (party_kind IN (N'citizen', N'organisation', N'contact', N'anonymous')),
    citizen_id          uniqueidentifier NULL REFERENCES citizens (id),
    organisation_name   nvarchar(200) NULL,
    organisation_cui    nvarchar(12) NULL,
    contact_name        nvarchar(200) NULL,
    contact_details     nvarchar(300) NULL,
    written_confirmed   BIGINT       NOT NULL DEFAULT 0,   -- a petition voiced on the phone, written down and confirmed
    registered_at       BIGINT       NOT NULL,
    registered_on       date         NOT NULL,             -- Bucharest calendar date
    term_days           BIGINT       NULL,                 -- 30 (petition), 10 or 30 (information request), category days
    extended_by_days    BIGINT       NULL,                 -- petition: once, at most 15 (OG 27/2002 art. 9)
    extension_notified_at BIGINT     NULL,
    due_on              date         NULL,                 -- the statutory deadline while one runs
    assigned_department nvarchar(100) NULL,
    assigned_to         nvarchar(64) NULL,
    forwarded_to        nvarchar(200) NULL,
    joined_to_case_id   uniqueidentifier NULL REFERENCES cases (id),
    related_case_id     uniqueidentifier NULL REFERENCES cases (id), -- an earlier matter raised again
    note                nvarchar(1000) NULL,                -- why filed / rejected / forwarded, as told to the party
    answer_text         nvarchar(max) NULL,
    answer_legal_basis  nvarchar(300) NULL,
    answer_signed_by    nvarchar(200) NULL,
    answer_sent_via     nvarchar(20) NULL,
    answer_sent_at      BIGINT       NULL,
    answered_on         date         NULL,
    answer_register     nvarchar(20) NULL,
    answer_number       BIGINT       NULL,
    answer_year         BIGINT       NULL,
    answer_document     nvarchar(64) NULL,                 -- content hash, see case_documents
    closed_at           BIGINT       NULL,
    updated_at          BIGINT       NOT NULL,
    version             BIGINT       NOT NULL DEFAULT 1,
    UNIQUE (register_code, year, number),
    -- T-SQL compares no booleans: the party is a citizen exactly when a citizen is named.
    CHECK ((party_kind = N'citizen' AND citizen_id IS NOT NULL) OR (party_kind <> N'citizen' AND citizen_id IS NULL))
);
CREATE INDEX ix_cases_citizen ON cases (citizen_id, registered_at) WHERE citizen_id IS NOT NULL;
CREATE INDEX ix_cases_due ON cases (status, due_on);
CREATE INDEX ix_cases_number ON cases (number, year);
CREATE UNIQUE INDEX ux_cases_answer_number ON cases (answer_register, answer_year, answer_number) WHERE answer_number IS NOT NULL;

-- Documents attached to a case, stored under the data folder by their SHA-256 (never by the
-- uploaded file name); the name is kept only to show it.
CREATE TABLE case_documents (
    case_id      uniqueidentifier NOT NULL REFERENCES cases (id),
    sha256       nvarchar(64) NOT NULL,
    content_type nvarchar(100) NOT NULL,
    size_bytes   BIGINT       NOT NULL,
    file_name    nvarchar(200) NULL,
    attached_by  nvarchar(100) NOT NULL,
    attached_at  BIGINT       NOT NULL,
    PRIMARY KEY (case_id, sha256)
);
