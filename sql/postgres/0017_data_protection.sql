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

ALTER TABLE timeline RENAME TO timeline_events;

CREATE TABLE timeline_details (
    seq          BIGINT       NOT NULL PRIMARY KEY REFERENCES timeline_events (seq),
    summary      VARCHAR(500) NOT NULL,
    on_behalf_of VARCHAR(200) NULL,
    payload      TEXT         NOT NULL
);
INSERT INTO timeline_details (seq, summary, on_behalf_of, payload)
SELECT seq, summary, on_behalf_of, payload FROM timeline_events;

-- The figures the phone robot's report counts, copied from the payloads written before this migration. The robot's
-- payloads are codes and numbers (a reason, an outcome, a score, a duration), except the answers it gave, whose details
-- (amounts owed, petition numbers) are the citizen's: of those only the code of the question stays.
ALTER TABLE timeline_events ADD COLUMN facts TEXT NOT NULL DEFAULT '{}';
DROP TRIGGER timeline_no_update ON timeline_events;
DROP TRIGGER timeline_no_delete ON timeline_events;
UPDATE timeline_events SET facts = payload WHERE kind LIKE 'ivr.%' AND kind <> 'ivr.answer_given';
-- SQLite's json_object('what', json_extract(payload, '$.what')) writes {"what":...} without spaces; json_build_object
-- would write {"what" : ...}. The value is taken as its JSON text (a question code), null when absent, as SQLite does.
UPDATE timeline_events SET facts = '{"what":' || COALESCE((payload::json -> 'what')::text, 'null') || '}' WHERE kind = 'ivr.answer_given';
ALTER TABLE timeline_events DROP COLUMN summary;
ALTER TABLE timeline_events DROP COLUMN on_behalf_of;
ALTER TABLE timeline_events DROP COLUMN payload;

CREATE TRIGGER timeline_events_no_update BEFORE UPDATE ON timeline_events
FOR EACH ROW EXECUTE FUNCTION refuse_change('timeline is append-only: events are never updated');
CREATE TRIGGER timeline_events_no_delete BEFORE DELETE ON timeline_events
FOR EACH ROW EXECUTE FUNCTION refuse_change('timeline is append-only: events are never deleted');
CREATE TRIGGER timeline_details_no_update BEFORE UPDATE ON timeline_details
FOR EACH ROW EXECUTE FUNCTION refuse_change('timeline details are never rewritten: they are only erased');

-- erased is cast to BIGINT: a bare 1 is int4 here, and the code reads every integer as Int64.
CREATE VIEW timeline AS
SELECT e.seq, e.event_id, e.citizen_id, e.case_id, e.correlation, e.channel, e.kind, e.actor, d.on_behalf_of,
       e.occurred_at, e.recorded_at,
       COALESCE(d.summary, CASE WHEN e.citizen_id IS NULL THEN 'Personal details erased' ELSE 'Erased citizen' END) AS summary,
       COALESCE(d.payload, '{}') AS payload, e.facts, e.dedup_key,
       CAST(CASE WHEN d.seq IS NULL THEN 1 ELSE 0 END AS BIGINT) AS erased
FROM timeline_events e LEFT JOIN timeline_details d ON d.seq = e.seq;

-- 2. Data-subject requests (GDPR art. 12(3)): answered within one month of receipt, extendable once by two further
-- months when needed, the citizen told of the extension and its reasons within the first month.
CREATE TABLE data_subject_requests (
    id                    uuid          NOT NULL PRIMARY KEY,
    citizen_id            uuid          NOT NULL REFERENCES citizens (id),
    kind                  VARCHAR(20)   NOT NULL CHECK (kind IN ('access', 'erasure')),
    status                VARCHAR(20)   NOT NULL CHECK (status IN ('open', 'completed', 'refused')),
    received_on           date          NOT NULL,             -- Bucharest calendar date the request reached the city hall
    due_on                date          NOT NULL,             -- received_on + 1 month
    extended_to           date          NULL,                 -- due_on + at most 2 months, once
    extension_reason      VARCHAR(500)  NULL,
    extension_notified_at BIGINT        NULL,
    channel               VARCHAR(10)   NOT NULL,             -- how it came in: desk, email, post, web
    registered_by         VARCHAR(100)  NOT NULL,
    registered_at         BIGINT        NOT NULL,
    completed_at          BIGINT        NULL,
    completed_by          VARCHAR(100)  NULL,
    outcome               VARCHAR(1000) NULL,                 -- what was done, or why it was refused (no personal data)
    updated_at            BIGINT        NOT NULL,
    version               BIGINT        NOT NULL DEFAULT 1
);
CREATE INDEX ix_data_subject_requests_citizen ON data_subject_requests (citizen_id, registered_at);
CREATE INDEX ix_data_subject_requests_open ON data_subject_requests (status, due_on);

-- 3. Erasure: recorded, with who, when and on what legal basis, and never undone.
ALTER TABLE citizens ADD COLUMN erased_at BIGINT NULL;

CREATE TABLE citizen_erasures (
    citizen_id  uuid          NOT NULL PRIMARY KEY REFERENCES citizens (id),
    request_id  uuid          NULL REFERENCES data_subject_requests (id),
    erased_at   BIGINT        NOT NULL,
    erased_by   VARCHAR(100)  NOT NULL,
    legal_basis VARCHAR(300)  NOT NULL,
    summary     VARCHAR(2000) NOT NULL                        -- what was removed and what was anonymised, as counts
);
CREATE TRIGGER citizen_erasures_no_update BEFORE UPDATE ON citizen_erasures
FOR EACH ROW EXECUTE FUNCTION refuse_change('an erasure cannot be undone or rewritten');
CREATE TRIGGER citizen_erasures_no_delete BEFORE DELETE ON citizen_erasures
FOR EACH ROW EXECUTE FUNCTION refuse_change('an erasure cannot be undone or rewritten');
CREATE TRIGGER citizens_erasure_is_final BEFORE UPDATE OF erased_at ON citizens
FOR EACH ROW WHEN (OLD.erased_at IS NOT NULL) EXECUTE FUNCTION refuse_change('an erasure cannot be undone');
