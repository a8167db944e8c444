-- CitizenCRM foundation schema (SQLite).
-- Instants are UTC milliseconds (BIGINT) on every database; calendar dates are 'yyyy-MM-dd' text here
-- (DATE on the server databases); ids are GUIDs stored as text.

CREATE TABLE staff_users (
    id                  TEXT         NOT NULL PRIMARY KEY,
    username            VARCHAR(64)  NOT NULL UNIQUE,   -- lower-cased
    display_name        VARCHAR(200) NOT NULL,
    role                VARCHAR(20)  NOT NULL CHECK (role IN ('clerk', 'dispatcher', 'supervisor', 'admin')),
    password_hash       VARCHAR(300) NOT NULL,
    disabled            INTEGER      NOT NULL DEFAULT 0,
    created_at          BIGINT       NOT NULL,
    password_changed_at BIGINT       NOT NULL
);

-- Bearer tokens are stored as SHA-256 hashes: a database dump alone signs nobody in.
CREATE TABLE staff_tokens (
    token_hash VARCHAR(64) NOT NULL PRIMARY KEY,
    user_id    TEXT        NOT NULL REFERENCES staff_users (id),
    created_at BIGINT      NOT NULL,
    expires_at BIGINT      NOT NULL,
    revoked_at BIGINT      NULL
);
CREATE INDEX ix_staff_tokens_user ON staff_tokens (user_id);

CREATE TABLE login_failures (
    id       INTEGER     NOT NULL PRIMARY KEY AUTOINCREMENT,
    at       BIGINT      NOT NULL,
    username VARCHAR(64) NOT NULL,
    address  VARCHAR(64) NOT NULL
);
CREATE INDEX ix_login_failures_user ON login_failures (username, at);
CREATE INDEX ix_login_failures_address ON login_failures (address, at);

CREATE TABLE citizens (
    id                 TEXT         NOT NULL PRIMARY KEY,
    id_type            VARCHAR(20)  NOT NULL,            -- cnp, passport, foreign_id
    national_id        VARCHAR(32)  NOT NULL,
    first_name         VARCHAR(100) NOT NULL,
    last_name          VARCHAR(100) NOT NULL,
    date_of_birth      TEXT         NULL,
    address            VARCHAR(500) NULL,
    preferred_language VARCHAR(2)   NOT NULL DEFAULT 'ro',
    phones             TEXT         NOT NULL DEFAULT '[]',  -- JSON array, E.164; searchable copy in citizen_phones
    emails             TEXT         NOT NULL DEFAULT '[]',
    pin_hash           VARCHAR(64)  NULL,                  -- HMAC-SHA256 under the key outside the database
    pin_issued_at      BIGINT       NULL,
    created_at         BIGINT       NOT NULL,
    updated_at         BIGINT       NOT NULL,
    version            INTEGER      NOT NULL DEFAULT 1,
    UNIQUE (id_type, national_id)
);
CREATE INDEX ix_citizens_national_id ON citizens (national_id);

CREATE TABLE citizen_phones (
    phone      VARCHAR(20) NOT NULL,
    citizen_id TEXT        NOT NULL REFERENCES citizens (id),
    PRIMARY KEY (phone, citizen_id)
);
CREATE INDEX ix_citizen_phones_citizen ON citizen_phones (citizen_id);

CREATE TABLE citizen_emails (
    email      VARCHAR(254) NOT NULL,
    citizen_id TEXT         NOT NULL REFERENCES citizens (id),
    PRIMARY KEY (email, citizen_id)
);
CREATE INDEX ix_citizen_emails_citizen ON citizen_emails (citizen_id);

-- Name words folded to lower-case ASCII ("Ștefan" -> "stefan") for prefix search that an index serves.
CREATE TABLE citizen_name_tokens (
    token      VARCHAR(100) NOT NULL,
    citizen_id TEXT         NOT NULL REFERENCES citizens (id),
    PRIMARY KEY (token, citizen_id)
);
CREATE INDEX ix_citizen_name_tokens_citizen ON citizen_name_tokens (citizen_id);

-- The unified timeline: append-only, the heart of the product.
CREATE TABLE timeline (
    seq          INTEGER      NOT NULL PRIMARY KEY AUTOINCREMENT,  -- never reused: the paging cursor
    event_id     TEXT         NOT NULL UNIQUE,
    citizen_id   TEXT         NULL,
    case_id      TEXT         NULL,
    correlation  VARCHAR(100) NULL,
    channel      VARCHAR(10)  NOT NULL,
    kind         VARCHAR(60)  NOT NULL,
    actor        VARCHAR(100) NOT NULL,
    on_behalf_of VARCHAR(200) NULL,
    occurred_at  BIGINT       NOT NULL,
    recorded_at  BIGINT       NOT NULL,
    summary      VARCHAR(500) NOT NULL,
    payload      TEXT         NOT NULL,
    dedup_key    VARCHAR(200) NOT NULL UNIQUE
);
CREATE INDEX ix_timeline_citizen ON timeline (citizen_id, seq) WHERE citizen_id IS NOT NULL;
CREATE INDEX ix_timeline_case ON timeline (case_id, seq) WHERE case_id IS NOT NULL;
CREATE INDEX ix_timeline_correlation ON timeline (correlation, seq) WHERE correlation IS NOT NULL;
CREATE INDEX ix_timeline_channel ON timeline (channel, seq);  -- the dispatchers' feed filtered by channel

CREATE TRIGGER timeline_no_update BEFORE UPDATE ON timeline
BEGIN SELECT RAISE(ABORT, 'timeline is append-only: events are never updated'); END;

CREATE TRIGGER timeline_no_delete BEFORE DELETE ON timeline
BEGIN SELECT RAISE(ABORT, 'timeline is append-only: events are never deleted'); END;

CREATE TABLE idempotency_keys (
    scope_key     VARCHAR(300) NOT NULL PRIMARY KEY,   -- actor + client key
    request_type  VARCHAR(100) NOT NULL,
    request_hash  VARCHAR(64)  NOT NULL,
    response_json TEXT         NOT NULL,
    created_at    BIGINT       NOT NULL
);

CREATE TABLE audit_log (
    id         INTEGER      NOT NULL PRIMARY KEY AUTOINCREMENT,
    at         BIGINT       NOT NULL,
    actor      VARCHAR(100) NOT NULL,
    actor_role VARCHAR(20)  NOT NULL,
    citizen_id TEXT         NOT NULL,
    endpoint   VARCHAR(200) NOT NULL,
    query      VARCHAR(100) NOT NULL
);
CREATE INDEX ix_audit_citizen ON audit_log (citizen_id, id);
CREATE INDEX ix_audit_actor ON audit_log (actor, id);
