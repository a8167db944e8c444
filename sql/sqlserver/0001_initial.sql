-- CitizenCRM foundation schema (SQL Server 2019 or later), in step with sql/sqlite/ (same tables, columns and their
-- order, constraints, indexes; same file numbers and names). Each file runs as one batch in one transaction (Migrator.cs):
-- there is no GO, and what must be alone in its batch (CREATE TRIGGER, CREATE VIEW) runs through EXEC.
-- Instants are UTC milliseconds (BIGINT) on every database; calendar dates are DATE; ids are uniqueidentifier. Every
-- integer is BIGINT, flags too: Dapper maps positional records by exact type, and the code reads integers as Int64
-- because SQLite returns them so. Text is nvarchar (Romanian and Hungarian diacritics outside any code page), and every
-- literal with them is N'...'. JSON columns are nvarchar(max), written and read whole, so a city copied from SQLite
-- answers byte for byte the same.
-- Identity keys are BIGINT IDENTITY(1,1): copying a database into these tables with their original keys needs
-- SET IDENTITY_INSERT ON per table, then DBCC CHECKIDENT to move the identity past them.

CREATE TABLE staff_users (
    id                  uniqueidentifier NOT NULL PRIMARY KEY,
    username            nvarchar(64) NOT NULL UNIQUE,   -- lower-cased
    display_name        nvarchar(200) NOT NULL,
    role                nvarchar(20) NOT NULL CONSTRAINT ck_staff_users_role CHECK (role IN (N'clerk', N'dispatcher', N'supervisor', N'admin')),
    password_hash       nvarchar(300) NOT NULL,
    disabled            BIGINT       NOT NULL DEFAULT 0,
    created_at          BIGINT       NOT NULL,
    password_changed_at BIGINT       NOT NULL
);

-- Bearer tokens are stored as SHA-256 hashes: a database dump alone signs nobody in.
CREATE TABLE staff_tokens (
    token_hash nvarchar(64) NOT NULL PRIMARY KEY,
    user_id    uniqueidentifier NOT NULL REFERENCES staff_users (id),
    created_at BIGINT      NOT NULL,
    expires_at BIGINT      NOT NULL,
    revoked_at BIGINT      NULL
);
CREATE INDEX ix_staff_tokens_user ON staff_tokens (user_id);

CREATE TABLE login_failures (
    id       BIGINT IDENTITY(1,1) NOT NULL PRIMARY KEY,
    at       BIGINT      NOT NULL,
    username nvarchar(64) NOT NULL,
    address  nvarchar(64) NOT NULL
);
CREATE INDEX ix_login_failures_user ON login_failures (username, at);
CREATE INDEX ix_login_failures_address ON login_failures (address, at);

CREATE TABLE citizens (
    id                 uniqueidentifier NOT NULL PRIMARY KEY,
    id_type            nvarchar(20) NOT NULL,            -- cnp, passport, foreign_id
    national_id        nvarchar(32) NOT NULL,
    first_name         nvarchar(100) NOT NULL,
    last_name          nvarchar(100) NOT NULL,
    date_of_birth      date         NULL,
    address            nvarchar(500) NULL,
    preferred_language nvarchar(2)  NOT NULL DEFAULT N'ro',
    phones             nvarchar(max) NOT NULL DEFAULT N'[]',  -- JSON array, E.164; searchable copy in citizen_phones
    emails             nvarchar(max) NOT NULL DEFAULT N'[]',
    pin_hash           nvarchar(64) NULL,                  -- HMAC-SHA256 under the key outside the database
    pin_issued_at      BIGINT       NULL,
    created_at         BIGINT       NOT NULL,
    updated_at         BIGINT       NOT NULL,
    version            BIGINT       NOT NULL DEFAULT 1,
    UNIQUE (id_type, national_id)
);
CREATE INDEX ix_citizens_national_id ON citizens (national_id);

CREATE TABLE citizen_phones (
    phone      nvarchar(20) NOT NULL,
    citizen_id uniqueidentifier NOT NULL REFERENCES citizens (id),
    PRIMARY KEY (phone, citizen_id)
);
CREATE INDEX ix_citizen_phones_citizen ON citizen_phones (citizen_id);

CREATE TABLE citizen_emails (
    email      nvarchar(254) NOT NULL,
    citizen_id uniqueidentifier NOT NULL REFERENCES citizens (id),
    PRIMARY KEY (email, citizen_id)
);
CREATE INDEX ix_citizen_emails_citizen ON citizen_emails (citizen_id);

-- Name words folded to lower-case ASCII ("Ștefan" -> "stefan") for prefix search that an index serves.
CREATE TABLE citizen_name_tokens (
    token      nvarchar(100) NOT NULL,
    citizen_id uniqueidentifier NOT NULL REFERENCES citizens (id),
    PRIMARY KEY (token, citizen_id)
);
CREATE INDEX ix_citizen_name_tokens_citizen ON citizen_name_tokens (citizen_id);

-- The unified timeline: append-only, the heart of the product.
CREATE TABLE timeline (
    seq          BIGINT IDENTITY(1,1) NOT NULL PRIMARY KEY,  -- never reused: the paging cursor
    event_id     uniqueidentifier NOT NULL UNIQUE,
    citizen_id   uniqueidentifier NULL,
    case_id      uniqueidentifier NULL,
    correlation  nvarchar(100) NULL,
    channel      nvarchar(10) NOT NULL,
    kind         nvarchar(60) NOT NULL,
    actor        nvarchar(100) NOT NULL,
    on_behalf_of nvarchar(200) NULL,
    occurred_at  BIGINT       NOT NULL,
    recorded_at  BIGINT       NOT NULL,
    summary      nvarchar(500) NOT NULL,
    payload      nvarchar(max) NOT NULL,
    dedup_key    nvarchar(200) NOT NULL UNIQUE
);
CREATE INDEX ix_timeline_citizen ON timeline (citizen_id, seq) WHERE citizen_id IS NOT NULL;
CREATE INDEX ix_timeline_case ON timeline (case_id, seq) WHERE case_id IS NOT NULL;
CREATE INDEX ix_timeline_correlation ON timeline (correlation, seq) WHERE correlation IS NOT NULL;
CREATE INDEX ix_timeline_channel ON timeline (channel, seq);  -- the dispatchers' feed filtered by channel

-- INSTEAD OF triggers refuse the change before any row is touched, as SQLite's BEFORE ... RAISE(ABORT) does; a statement
-- that matches no row passes, as in SQLite, whose row triggers then never fire.
EXEC(N'CREATE TRIGGER timeline_no_update ON timeline INSTEAD OF UPDATE AS
IF EXISTS (SELECT 1 FROM deleted) THROW 50000, N''timeline is append-only: events are never updated'', 1;');

EXEC(N'CREATE TRIGGER timeline_no_delete ON timeline INSTEAD OF DELETE AS
IF EXISTS (SELECT 1 FROM deleted) THROW 50000, N''timeline is append-only: events are never deleted'', 1;');

CREATE TABLE idempotency_keys (
    scope_key     nvarchar(300) NOT NULL PRIMARY KEY,   -- actor + client key
    request_type  nvarchar(100) NOT NULL,
    request_hash  nvarchar(64) NOT NULL,
    response_json nvarchar(max) NOT NULL,
    created_at    BIGINT       NOT NULL
);

CREATE TABLE audit_log (
    id         BIGINT IDENTITY(1,1) NOT NULL PRIMARY KEY,
    at         BIGINT       NOT NULL,
    actor      nvarchar(100) NOT NULL,
    actor_role nvarchar(20) NOT NULL,
    citizen_id uniqueidentifier NOT NULL,
    endpoint   nvarchar(200) NOT NULL,
    query      nvarchar(100) NOT NULL
);
CREATE INDEX ix_audit_citizen ON audit_log (citizen_id, id);
CREATE INDEX ix_audit_actor ON audit_log (actor, id);
