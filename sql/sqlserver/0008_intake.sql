-- Intake from every channel (issue 10): what a case's row does not say about how it came in.
-- cases.channel already says by which door; case_intake says who registered it, for whom (a volunteer or
-- a mobile team acting for a citizen), the phone call it came from (Twilio's CallSid, so the call's timeline
-- and the case meet), and for a web request the keyed hash of its private access code (never the code).
CREATE TABLE case_intake (
    case_id          uniqueidentifier NOT NULL PRIMARY KEY REFERENCES cases (id),
    registered_by    nvarchar(100) NOT NULL,            -- staff user name, or 'web' for the public form
    on_behalf_of     nvarchar(200) NULL,                -- the citizen a volunteer or mobile team acted for (name)
    on_behalf_of_id  uniqueidentifier NULL REFERENCES citizens (id),
    call_sid         nvarchar(64) NULL,
    access_code_hash nvarchar(64) NULL,                -- HMAC-SHA256 under the PIN key, bound to the case id
    created_at       BIGINT       NOT NULL
);
CREATE INDEX ix_case_intake_call ON case_intake (call_sid) WHERE call_sid IS NOT NULL;

-- Volunteers get accounts of their own (role 'volunteer': they may only register field requests for a citizen).
-- SQLite rebuilds staff_users (and staff_tokens with it) to change the CHECK; SQL Server changes the named constraint
-- in place, which leaves the same tables, columns, keys and index.
ALTER TABLE staff_users DROP CONSTRAINT ck_staff_users_role;
ALTER TABLE staff_users ADD CONSTRAINT ck_staff_users_role
    CHECK (role IN (N'clerk', N'dispatcher', N'supervisor', N'admin', N'volunteer'));
