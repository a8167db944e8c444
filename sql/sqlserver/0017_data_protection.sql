-- Issue 12: data protection. A citizen may ask what is held about them (GDPR art. 15, 20) and, where no law requires
-- keeping it, to have it erased (art. 17); records are kept only as long as they must be (art. 5(1)(e)).
--
-- 1. The timeline keeps its append-only promise and still forgets a person. An event is split in two:
--    - timeline_events: what happened, when, by which door, to which case and citizen (ids only), who acted, and the
--      event's non-personal figures (facts: codes and numbers the reports count). Never updated, never deleted.
--    - timeline_details: the personal content of the same event (the one-line summary a clerk reads, on whose behalf a
--      volunteer acted, the payload). Never updated; deleted only by an erasure or a retention rule.
--    The view `timeline` joins them back, so readers read one row per event as before; an event whose details are gone
--    reads "Erased citizen" (or "Personal details erased" when it names no citizen), with its kind and dates intact.
--    Kept apart rather than encrypted under a per-citizen key (crypto-shredding): a DELETE is the same statement on every
--    database, there is no key store to back up, rotate or lose, and a clerk's page is one indexed join (README, design).

EXEC sp_rename N'timeline', N'timeline_events';

CREATE TABLE timeline_details (
    seq          BIGINT       NOT NULL PRIMARY KEY REFERENCES timeline_events (seq),
    summary      nvarchar(500) NOT NULL,
    on_behalf_of nvarchar(200) NULL,
    payload      nvarchar(max) NOT NULL
);
-- Statements on the renamed table run through EXEC: the script is compiled before the rename runs.
EXEC(N'INSERT INTO timeline_details (seq, summary, on_behalf_of, payload)
SELECT seq, summary, on_behalf_of, payload FROM timeline_events');

-- The figures the phone robot's report counts, copied from the payloads written before this migration. The robot's
-- payloads are codes and numbers (a reason, an outcome, a score, a duration), except the answers it gave, whose details
-- (amounts owed, petition numbers) are the citizen's: of those only the code of the question stays.
ALTER TABLE timeline_events ADD facts nvarchar(max) NOT NULL DEFAULT N'{}';
DROP TRIGGER timeline_no_update;
DROP TRIGGER timeline_no_delete;
EXEC(N'UPDATE timeline_events SET facts = payload WHERE kind LIKE N''ivr.%'' AND kind <> N''ivr.answer_given''');
-- SQL Server 2019 has no JSON_OBJECT (2022 has): FOR JSON builds the same one-key object. JSON_VALUE gives the code as a
-- string, which the question codes are.
EXEC(N'UPDATE timeline_events
SET facts = (SELECT JSON_VALUE(payload, N''$.what'') AS what FOR JSON PATH, WITHOUT_ARRAY_WRAPPER, INCLUDE_NULL_VALUES)
WHERE kind = N''ivr.answer_given''');
ALTER TABLE timeline_events DROP COLUMN summary;
ALTER TABLE timeline_events DROP COLUMN on_behalf_of;
ALTER TABLE timeline_events DROP COLUMN payload;

EXEC(N'CREATE TRIGGER timeline_events_no_update ON timeline_events INSTEAD OF UPDATE AS
IF EXISTS (SELECT 1 FROM deleted) THROW 50000, N''timeline is append-only: events are never updated'', 1;');
EXEC(N'CREATE TRIGGER timeline_events_no_delete ON timeline_events INSTEAD OF DELETE AS
IF EXISTS (SELECT 1 FROM deleted) THROW 50000, N''timeline is append-only: events are never deleted'', 1;');
EXEC(N'CREATE TRIGGER timeline_details_no_update ON timeline_details INSTEAD OF UPDATE AS
IF EXISTS (SELECT 1 FROM deleted) THROW 50000, N''timeline details are never rewritten: they are only erased'', 1;');

-- erased is BIGINT as every integer the code reads (a bare CASE of 1 and 0 would be int).
EXEC(N'CREATE VIEW timeline AS
SELECT e.seq, e.event_id, e.citizen_id, e.case_id, e.correlation, e.channel, e.kind, e.actor, d.on_behalf_of,
       e.occurred_at, e.recorded_at,
       COALESCE(d.summary, CASE WHEN e.citizen_id IS NULL THEN N''Personal details erased'' ELSE N''Erased citizen'' END) AS summary,
       COALESCE(d.payload, N''{}'') AS payload, e.facts, e.dedup_key,
       CAST(CASE WHEN d.seq IS NULL THEN 1 ELSE 0 END AS BIGINT) AS erased
FROM timeline_events e LEFT JOIN timeline_details d ON d.seq = e.seq');

-- 2. Data-subject requests (GDPR art. 12(3)): answered within one month of receipt, extendable once by two further
-- months when needed, the citizen told of the extension and its reasons within the first month.
CREATE TABLE data_subject_requests (
    id                    uniqueidentifier NOT NULL PRIMARY KEY,
    citizen_id            uniqueidentifier NOT NULL REFERENCES citizens (id),
    kind                  nvarchar(20)  NOT NULL CHECK (kind IN (N'access', N'erasure')),
    status                nvarchar(20)  NOT NULL CHECK (status IN (N'open', N'completed', N'refused')),
    received_on           date          NOT NULL,             -- Bucharest calendar date the request reached the city hall
    due_on                date          NOT NULL,             -- received_on + 1 month
    extended_to           date          NULL,                 -- due_on + at most 2 months, once
    extension_reason      nvarchar(500) NULL,
    extension_notified_at BIGINT        NULL,
    channel               nvarchar(10)  NOT NULL,             -- how it came in: desk, email, post, web
    registered_by         nvarchar(100) NOT NULL,
    registered_at         BIGINT        NOT NULL,
    completed_at          BIGINT        NULL,
    completed_by          nvarchar(100) NULL,
    outcome               nvarchar(1000) NULL,                 -- what was done, or why it was refused (no personal data)
    updated_at            BIGINT        NOT NULL,
    version               BIGINT        NOT NULL DEFAULT 1
);
CREATE INDEX ix_data_subject_requests_citizen ON data_subject_requests (citizen_id, registered_at);
CREATE INDEX ix_data_subject_requests_open ON data_subject_requests (status, due_on);

-- 3. Erasure: recorded, with who, when and on what legal basis, and never undone.
ALTER TABLE citizens ADD erased_at BIGINT NULL;

CREATE TABLE citizen_erasures (
    citizen_id  uniqueidentifier NOT NULL PRIMARY KEY REFERENCES citizens (id),
    request_id  uniqueidentifier NULL REFERENCES data_subject_requests (id),
    erased_at   BIGINT        NOT NULL,
    erased_by   nvarchar(100) NOT NULL,
    legal_basis nvarchar(300) NOT NULL,
    summary     nvarchar(2000) NOT NULL                        -- what was removed and what was anonymised, as counts
);
EXEC(N'CREATE TRIGGER citizen_erasures_no_update ON citizen_erasures INSTEAD OF UPDATE AS
IF EXISTS (SELECT 1 FROM deleted) THROW 50000, N''an erasure cannot be undone or rewritten'', 1;');
EXEC(N'CREATE TRIGGER citizen_erasures_no_delete ON citizen_erasures INSTEAD OF DELETE AS
IF EXISTS (SELECT 1 FROM deleted) THROW 50000, N''an erasure cannot be undone or rewritten'', 1;');
-- UPDATE(erased_at) is true when the statement sets erased_at, as SQLite's UPDATE OF erased_at; an AFTER trigger sees the
-- old values in deleted, and its THROW undoes the statement with its transaction.
EXEC(N'CREATE TRIGGER citizens_erasure_is_final ON citizens AFTER UPDATE AS
IF UPDATE(erased_at) AND EXISTS (SELECT 1 FROM deleted WHERE erased_at IS NOT NULL)
    THROW 50000, N''an erasure cannot be undone'', 1;');
