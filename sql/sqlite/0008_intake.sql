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
-- SQLite cannot change a CHECK constraint, so staff_users is rebuilt, and staff_tokens with it: the migration runs in a
-- transaction with foreign keys on, where dropping a parent that still has children would count violations that no
-- later insert clears. So the new tokens table points at the new users table, both old tables go (children first),
-- and renaming the new users table to staff_users rewrites the tokens' reference to it (SQLite 3.26+).
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
CREATE TABLE staff_tokens_v8 (
    token_hash VARCHAR(64) NOT NULL PRIMARY KEY,
    user_id    TEXT        NOT NULL REFERENCES staff_users_v8 (id),
    created_at BIGINT      NOT NULL,
    expires_at BIGINT      NOT NULL,
    revoked_at BIGINT      NULL
);
INSERT INTO staff_tokens_v8 (token_hash, user_id, created_at, expires_at, revoked_at)
    SELECT token_hash, user_id, created_at, expires_at, revoked_at FROM staff_tokens;
DROP TABLE staff_tokens;
DROP TABLE staff_users;
ALTER TABLE staff_users_v8 RENAME TO staff_users;
ALTER TABLE staff_tokens_v8 RENAME TO staff_tokens;
CREATE INDEX ix_staff_tokens_user ON staff_tokens (user_id);
