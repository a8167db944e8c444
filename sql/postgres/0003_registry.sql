-- The registry desk (issue 4): registers, their yearly counters, service categories, cases, documents.

-- A register numbers what is recorded in it, per calendar year. 'general' is the city hall's
-- registru general de intrare-ieșire: incoming matters and the outgoing answers to them share it.
CREATE TABLE registers (
    code       VARCHAR(20)  NOT NULL PRIMARY KEY,
    name       VARCHAR(200) NOT NULL,
    created_at BIGINT       NOT NULL
);
INSERT INTO registers (code, name, created_at) VALUES ('general', 'Registrul general de intrare-ieșire', 0);

-- Gapless numbers: one row per register and Bucharest calendar year, incremented inside the
-- registering transaction (a rolled-back registration rolls its number back too). Never a sequence:
-- PostgreSQL sequences and SQL Server identities are not transactional.
CREATE TABLE registration_counters (
    register_code VARCHAR(20) NOT NULL REFERENCES registers (code),
    year          BIGINT      NOT NULL,
    value         BIGINT      NOT NULL,
    PRIMARY KEY (register_code, year)
);

-- Service requests are answered within their category's processing time (calendar days).
-- The defaults below are a starting set; each city hall sets its own (admin endpoint).
CREATE TABLE service_categories (
    code            VARCHAR(40)  NOT NULL PRIMARY KEY,
    name            VARCHAR(200) NOT NULL,
    processing_days BIGINT       NOT NULL CHECK (processing_days BETWEEN 1 AND 365),
    active          BIGINT       NOT NULL DEFAULT 1
);
INSERT INTO service_categories (code, name, processing_days) VALUES
    ('general', 'Cerere generală', 30),
    ('fiscal_certificate', 'Certificat de atestare fiscală', 2),
    ('urbanism_certificate', 'Certificat de urbanism', 30),
    ('building_permit', 'Autorizație de construire', 30),
    ('civil_status', 'Acte de stare civilă', 5),
    ('public_works', 'Sesizare drumuri, iluminat, salubritate', 30),
    ('parking_permit', 'Abonament / autorizație de parcare', 10);

CREATE TABLE cases (
    id                  uuid         NOT NULL PRIMARY KEY,
    register_code       VARCHAR(20)  NOT NULL REFERENCES registers (code),
    number              BIGINT       NOT NULL,
    year                BIGINT       NOT NULL,
    kind                VARCHAR(30)  NOT NULL CHECK (kind IN ('petition', 'information_request', 'service_request')),
    category_code       VARCHAR(40)  NULL REFERENCES service_categories (code),
    status              VARCHAR(20)  NOT NULL CHECK (status IN ('registered', 'assigned', 'in_progress', 'answered', 'closed',
                                                               'forwarded', 'joined', 'filed', 'rejected')),
    channel             VARCHAR(10)  NOT NULL,
    subject             VARCHAR(300) NOT NULL,
    description         TEXT         NULL,
    -- The party: exactly one of citizen, organisation, contact; or none for an anonymous petition.
    party_kind          VARCHAR(20)  NOT NULL CHECK (party_kind IN ('citizen', 'organisation', 'contact', 'anonymous')),
    citizen_id          uuid         NULL REFERENCES citizens (id),
    organisation_name   VARCHAR(200) NULL,
    organisation_cui    VARCHAR(12)  NULL,
    contact_name        VARCHAR(200) NULL,
    contact_details     VARCHAR(300) NULL,
    written_confirmed   BIGINT       NOT NULL DEFAULT 0,   -- a petition voiced on the phone, written down and confirmed
    registered_at       BIGINT       NOT NULL,
    registered_on       date         NOT NULL,             -- Bucharest calendar date
    term_days           BIGINT       NULL,                 -- 30 (petition), 10 or 30 (information request), category days
    extended_by_days    BIGINT       NULL,                 -- petition: once, at most 15 (OG 27/2002 art. 9)
    extension_notified_at BIGINT     NULL,
    due_on              date         NULL,                 -- the statutory deadline while one runs
    assigned_department VARCHAR(100) NULL,
    assigned_to         VARCHAR(64)  NULL,
    forwarded_to        VARCHAR(200) NULL,
    joined_to_case_id   uuid         NULL REFERENCES cases (id),
    related_case_id     uuid         NULL REFERENCES cases (id), -- an earlier matter raised again
    note                VARCHAR(1000) NULL,                -- why filed / rejected / forwarded, as told to the party
    answer_text         TEXT         NULL,
    answer_legal_basis  VARCHAR(300) NULL,
    answer_signed_by    VARCHAR(200) NULL,
    answer_sent_via     VARCHAR(20)  NULL,
    answer_sent_at      BIGINT       NULL,
    answered_on         date         NULL,
    answer_register     VARCHAR(20)  NULL,
    answer_number       BIGINT       NULL,
    answer_year         BIGINT       NULL,
    answer_document     VARCHAR(64)  NULL,                 -- content hash, see case_documents
    closed_at           BIGINT       NULL,
    updated_at          BIGINT       NOT NULL,
    version             BIGINT       NOT NULL DEFAULT 1,
    UNIQUE (register_code, year, number),
    CHECK ((party_kind = 'citizen') = (citizen_id IS NOT NULL))
);
CREATE INDEX ix_cases_citizen ON cases (citizen_id, registered_at) WHERE citizen_id IS NOT NULL;
CREATE INDEX ix_cases_due ON cases (status, due_on);
CREATE INDEX ix_cases_number ON cases (number, year);
CREATE UNIQUE INDEX ux_cases_answer_number ON cases (answer_register, answer_year, answer_number) WHERE answer_number IS NOT NULL;

-- Documents attached to a case, stored under the data folder by their SHA-256 (never by the
-- uploaded file name); the name is kept only to show it.
CREATE TABLE case_documents (
    case_id      uuid         NOT NULL REFERENCES cases (id),
    sha256       VARCHAR(64)  NOT NULL,
    content_type VARCHAR(100) NOT NULL,
    size_bytes   BIGINT       NOT NULL,
    file_name    VARCHAR(200) NULL,
    attached_by  VARCHAR(100) NOT NULL,
    attached_at  BIGINT       NOT NULL,
    PRIMARY KEY (case_id, sha256)
);
