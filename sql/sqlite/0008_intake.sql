-- Intake from every channel (issue 10): what a case's row does not say about how it came in.
-- cases.channel already says by which door; case_intake says who registered it, for whom (a volunteer or
-- a mobile team acting for a citizen), the phone call it came from (Twilio's CallSid, so the call's timeline
-- and the case meet), and for a web request the keyed hash of its private access code (never the code).
CREATE TABLE case_intake (
    case_id          TEXT         NOT NULL PRIMARY KEY REFERENCES cases (id),
    registered_by    VARCHAR(100) NOT NULL,            -- staff user name, or 'web' for the public form
    on_behalf_of     VARCHAR(200) NULL,                -- the citizen a volunteer or mobile team acted for (name)
    on_behalf_of_id  TEXT         NULL REFERENCES citizens (id),
    call_sid         VARCHAR(64)  NULL,
    access_code_hash VARCHAR(64)  NULL,                -- HMAC-SHA256 under the PIN key, bound to the case id
    created_at       BIGINT       NOT NULL
);
CREATE INDEX ix_case_intake_call ON case_intake (call_sid) WHERE call_sid IS NOT NULL;

-- Volunteers get accounts of their own (role 'volunteer': they may only register field requests for a citizen).
-- SQLite cannot change a CHECK constraint, so staff_users is rebuilt; staff_tokens refers to it by name, and the
-- deferred foreign keys are checked at this migration's commit, when every token's user is there again.
PRAGMA defer_foreign_keys = ON;
CREATE TABLE staff_users_v8 (
    id                  TEXT         NOT NULL PRIMARY KEY,
    username            VARCHAR(64)  NOT NULL UNIQUE,   -- lower-cased
    display_name        VARCHAR(200) NOT NULL,
    role                VARCHAR(20)  NOT NULL CHECK (role IN ('clerk', 'dispatcher', 'supervisor', 'admin', 'volunteer')),
    password_hash       VARCHAR(300) NOT NULL,
    disabled            INTEGER      NOT NULL DEFAULT 0,
    created_at          BIGINT       NOT NULL,
    password_changed_at BIGINT       NOT NULL
);
INSERT INTO staff_users_v8 (id, username, display_name, role, password_hash, disabled, created_at, password_changed_at)
    SELECT id, username, display_name, role, password_hash, disabled, created_at, password_changed_at FROM staff_users;
DROP TABLE staff_users;
ALTER TABLE staff_users_v8 RENAME TO staff_users;
