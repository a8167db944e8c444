-- Issue 11, item 7: reporters on the map hear back. A new notice kind, 'status_changed', queued in the transaction of
-- each public step of a map report (the kinds of Core/Map/ReportUpdates.cs) to its reporter and to the reporters of
-- the reports a dispatcher merged into it (cases.joined_to_case_id), by e-mail only.
--
-- SQLite cannot change a CHECK constraint in place: the notifications table is rebuilt with the longer list, its rows
-- copied as they are, and its indexes made again (https://www.sqlite.org/lang_altertable.html, "otheralter").
-- No other table references notifications, and the migration runs in one transaction (Migrator.cs).
CREATE TABLE notifications_new (
    id              TEXT         NOT NULL PRIMARY KEY,
    kind            VARCHAR(20)  NOT NULL CHECK (kind IN ('acknowledgement', 'forwarded', 'term_extended', 'answer', 'escalation', 'status_changed')),
    channel         VARCHAR(10)  NOT NULL CHECK (channel IN ('email', 'sms')),
    status          VARCHAR(10)  NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
    case_id         TEXT         NULL REFERENCES cases (id),
    citizen_id      TEXT         NULL REFERENCES citizens (id),
    created_at      BIGINT       NOT NULL,
    sent_at         BIGINT       NULL,
    failed_at       BIGINT       NULL,
    last_error      VARCHAR(500) NULL,
    attempts        INTEGER      NOT NULL DEFAULT 0,
    recipient       VARCHAR(254) NOT NULL,
    recipient_name  VARCHAR(200) NULL,
    staff_username  VARCHAR(64)  NULL,
    language        VARCHAR(2)   NOT NULL,
    subject         VARCHAR(400) NULL,
    body            TEXT         NOT NULL,
    attachment_sha256 VARCHAR(64) NULL,
    attachment_name VARCHAR(200) NULL,
    attachment_type VARCHAR(100) NULL,
    next_attempt_at BIGINT       NOT NULL,
    claimed_by      VARCHAR(40)  NULL,
    claimed_until   BIGINT       NULL,
    provider_id     VARCHAR(300) NULL
);
INSERT INTO notifications_new (id, kind, channel, status, case_id, citizen_id, created_at, sent_at, failed_at, last_error, attempts,
                               recipient, recipient_name, staff_username, language, subject, body, attachment_sha256, attachment_name,
                               attachment_type, next_attempt_at, claimed_by, claimed_until, provider_id)
SELECT id, kind, channel, status, case_id, citizen_id, created_at, sent_at, failed_at, last_error, attempts,
       recipient, recipient_name, staff_username, language, subject, body, attachment_sha256, attachment_name,
       attachment_type, next_attempt_at, claimed_by, claimed_until, provider_id
FROM notifications;
DROP TABLE notifications;
ALTER TABLE notifications_new RENAME TO notifications;
CREATE INDEX ix_notifications_due ON notifications (status, next_attempt_at);
CREATE INDEX ix_notifications_case ON notifications (case_id);
CREATE INDEX ix_notifications_created ON notifications (created_at, id);

-- The reports merged into a case (its followers), found from the case that stays.
CREATE INDEX IF NOT EXISTS ix_cases_joined_to ON cases (joined_to_case_id) WHERE joined_to_case_id IS NOT NULL;

-- Placeholders: {number} and {subject} of the report that changed, {name} of the reporter, {status} the public text of
-- the step (the same fixed text the public page shows, never a timeline summary), {link} its public page (/map/r/{id}).
-- E-mail only (sms stays NULL): a status line is not worth a paid SMS, and the acknowledgement already went by SMS
-- to a reporter who has only a mobile number.
INSERT INTO notification_templates (kind, language, subject, body, sms) VALUES
('status_changed', 'ro', 'Sesizarea {number}: {status}',
 'Bună ziua, {name},

Sesizarea „{subject}”, nr. {number}, are o noutate: {status}

Puteți urmări sesizarea aici: {link}

Primăria', NULL),
('status_changed', 'en', 'Report {number}: {status}',
 'Hello {name},

There is news about the report "{subject}", no. {number}: {status}

You can follow the report here: {link}

City Hall', NULL),
('status_changed', 'hu', 'A(z) {number} számú bejelentés: {status}',
 'Tisztelt {name}!

A(z) „{subject}” tárgyú, {number} számú bejelentéssel kapcsolatban újdonság van: {status}

A bejelentést itt követheti: {link}

Polgármesteri Hivatal', NULL);
