-- The phone robot (issue 5). Call state keyed by Twilio's CallSid so any node answers any turn;
-- PIN failures counted per keyed hash of the CNP (never the CNP itself), for unknown CNPs too.

CREATE TABLE ivr_calls (
    call_sid         nvarchar(64) NOT NULL PRIMARY KEY,
    caller_masked    nvarchar(32) NOT NULL,           -- "+4072*****67", for lists and summaries
    caller_number    nvarchar(20) NULL,               -- E.164, kept only to call back; never logged or summarised
    language         nvarchar(2)  NOT NULL,
    citizen_id       uniqueidentifier NULL,               -- set once the caller passed CNP + PIN
    next_turn        BIGINT       NOT NULL,           -- the turn number the next <Gather> action must carry
    state            nvarchar(max) NOT NULL,           -- the engine's state (JSON)
    last_turn        BIGINT       NULL,               -- the last turn answered ...
    last_reply       nvarchar(max) NULL,               -- ... and its TwiML, replayed to a retried request
    status           nvarchar(20) NOT NULL,           -- in_robot, waiting, ended
    wait_reason      nvarchar(40) NULL,
    waiting_since    BIGINT       NULL,
    outcome          nvarchar(40) NOT NULL,
    started_at       BIGINT       NOT NULL,
    updated_at       BIGINT       NOT NULL,
    ended_at         BIGINT       NULL,
    duration_seconds BIGINT       NULL
);
CREATE INDEX ix_ivr_calls_status ON ivr_calls (status, waiting_since);

CREATE TABLE phone_pin_failures (
    id       BIGINT IDENTITY(1,1) NOT NULL PRIMARY KEY,
    cnp_key  nvarchar(64) NOT NULL,                    -- HMAC of the CNP under the PIN key
    at       BIGINT      NOT NULL,
    call_sid nvarchar(64) NOT NULL
);
CREATE INDEX ix_phone_pin_failures_key ON phone_pin_failures (cnp_key, at);

CREATE TABLE phone_access_locks (
    cnp_key     nvarchar(64) NOT NULL PRIMARY KEY,
    citizen_id  uniqueidentifier NULL,
    locked_at   BIGINT       NULL,                    -- NULL: not locked (any more)
    unlocked_at BIGINT       NULL,                    -- failures before this no longer count
    unlocked_by nvarchar(100) NULL
);

CREATE TABLE phone_requests (
    id                uniqueidentifier NOT NULL PRIMARY KEY,
    call_sid          nvarchar(64) NOT NULL,
    kind              nvarchar(20) NOT NULL CHECK (kind IN (N'callback', N'message')),
    reason            nvarchar(40) NOT NULL,
    citizen_id        uniqueidentifier NULL,              -- the caller's verified identity, if any
    caller_number     nvarchar(20) NULL,
    caller_masked     nvarchar(32) NOT NULL,
    language          nvarchar(2)  NOT NULL,
    recording_url     nvarchar(500) NULL,
    recording_seconds BIGINT       NULL,
    created_at        BIGINT       NOT NULL,
    handled_at        BIGINT       NULL,
    handled_by        nvarchar(100) NULL,
    note              nvarchar(500) NULL,
    UNIQUE (call_sid, kind)
);
CREATE INDEX ix_phone_requests_open ON phone_requests (handled_at, created_at);
