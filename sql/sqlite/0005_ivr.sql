-- The phone robot (issue 5). Call state keyed by Twilio's CallSid so any node answers any turn;
-- PIN failures counted per keyed hash of the CNP (never the CNP itself), for unknown CNPs too.

CREATE TABLE ivr_calls (
    call_sid         VARCHAR(64)  NOT NULL PRIMARY KEY,
    caller_masked    VARCHAR(32)  NOT NULL,           -- "+4072*****67", for lists and summaries
    caller_number    VARCHAR(20)  NULL,               -- E.164, kept only to call back; never logged or summarised
    language         VARCHAR(2)   NOT NULL,
    citizen_id       TEXT         NULL,               -- set once the caller passed CNP + PIN
    next_turn        INTEGER      NOT NULL,           -- the turn number the next <Gather> action must carry
    state            TEXT         NOT NULL,           -- the engine's state (JSON)
    last_turn        INTEGER      NULL,               -- the last turn answered ...
    last_reply       TEXT         NULL,               -- ... and its TwiML, replayed to a retried request
    status           VARCHAR(20)  NOT NULL,           -- in_robot, waiting, ended
    wait_reason      VARCHAR(40)  NULL,
    waiting_since    BIGINT       NULL,
    outcome          VARCHAR(40)  NOT NULL,
    started_at       BIGINT       NOT NULL,
    updated_at       BIGINT       NOT NULL,
    ended_at         BIGINT       NULL,
    duration_seconds INTEGER      NULL
);
CREATE INDEX ix_ivr_calls_status ON ivr_calls (status, waiting_since);

CREATE TABLE phone_pin_failures (
    id       INTEGER     NOT NULL PRIMARY KEY AUTOINCREMENT,
    cnp_key  VARCHAR(64) NOT NULL,                    -- HMAC of the CNP under the PIN key
    at       BIGINT      NOT NULL,
    call_sid VARCHAR(64) NOT NULL
);
CREATE INDEX ix_phone_pin_failures_key ON phone_pin_failures (cnp_key, at);

CREATE TABLE phone_access_locks (
    cnp_key     VARCHAR(64)  NOT NULL PRIMARY KEY,
    citizen_id  TEXT         NULL,
    locked_at   BIGINT       NULL,                    -- NULL: not locked (any more)
    unlocked_at BIGINT       NULL,                    -- failures before this no longer count
    unlocked_by VARCHAR(100) NULL
);

CREATE TABLE phone_requests (
    id                TEXT         NOT NULL PRIMARY KEY,
    call_sid          VARCHAR(64)  NOT NULL,
    kind              VARCHAR(20)  NOT NULL CHECK (kind IN ('callback', 'message')),
    reason            VARCHAR(40)  NOT NULL,
    citizen_id        TEXT         NULL,              -- the caller's verified identity, if any
    caller_number     VARCHAR(20)  NULL,
    caller_masked     VARCHAR(32)  NOT NULL,
    language          VARCHAR(2)   NOT NULL,
    recording_url     VARCHAR(500) NULL,
    recording_seconds INTEGER      NULL,
    created_at        BIGINT       NOT NULL,
    handled_at        BIGINT       NULL,
    handled_by        VARCHAR(100) NULL,
    note              VARCHAR(500) NULL,
    UNIQUE (call_sid, kind)
);
CREATE INDEX ix_phone_requests_open ON phone_requests (handled_at, created_at);
