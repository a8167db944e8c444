-- Issue 12, item 1: a data-subject request's term extended (GDPR art. 12(3): "The controller shall inform the data
-- subject of any such extension within one month of receipt of the request, together with the reasons for the delay").
-- A new notice kind, 'request_extended', queued to the citizen in the transaction that records the extension
-- (Core/DataProtection/Requests/ExtendDataRequest.cs). It concerns no case: case_id stays NULL, citizen_id is set.
--
-- SQLite cannot change a CHECK constraint in place: the notifications table is rebuilt with the longer list, as 0016 did
-- (https://www.sqlite.org/lang_altertable.html, "otheralter"). No other table references notifications.
CREATE TABLE notifications_new (
    id              TEXT         NOT NULL PRIMARY KEY,
    kind            VARCHAR(20)  NOT NULL CHECK (kind IN ('acknowledgement', 'forwarded', 'term_extended', 'answer', 'escalation', 'status_changed', 'request_extended')),
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

-- Placeholders: {name} of the citizen, {request} what they asked for (in their language, composed by the code),
-- {date} the day it was received, {term} the new last day, {reason} why more time is needed.
-- The SMS texts leave out diacritics and {request} (which has them) on purpose: see 0010 (GSM 03.38, one segment).
INSERT INTO notification_templates (kind, language, subject, body, sms) VALUES
('request_extended', 'ro', 'Termen prelungit pentru cererea privind datele dumneavoastră personale',
 'Bună ziua, {name},

Cererea dumneavoastră {request}, primită la Primărie pe {date}, necesită mai mult timp. Potrivit art. 12 alin. (3) din Regulamentul (UE) 2016/679 (GDPR), termenul de răspuns se prelungește până la {term}.
Motivul: {reason}

Responsabilul cu protecția datelor, Primăria',
 'Primaria: termenul de raspuns la cererea dvs. privind datele personale, primita pe {date}, a fost prelungit pana la {term} (GDPR art. 12).'),
('request_extended', 'en', 'More time needed for your request about your personal data',
 'Hello {name},

Your request for {request}, received by the City Hall on {date}, needs more time. Under Article 12(3) of Regulation (EU) 2016/679 (GDPR), the answer is now due by {term}.
Reason: {reason}

Data protection officer, City Hall',
 'City Hall: the answer to your personal data request received on {date} is now due by {term} (GDPR art. 12).'),
('request_extended', 'hu', 'Meghosszabbított határidő a személyes adataira vonatkozó kérelmében',
 'Tisztelt {name}!

A(z) {date} napon beérkezett, {request} vonatkozó kérelme több időt igényel. Az (EU) 2016/679 rendelet (GDPR) 12. cikk (3) bekezdése alapján a válaszadási határidő: {term}
Indoklás: {reason}

Adatvédelmi tisztviselő, Polgármesteri Hivatal',
 'Polgarmesteri Hivatal: a(z) {date} napon beerkezett, szemelyes adataira vonatkozo kerelme valaszadasi hatarideje: {term} (GDPR 12. cikk)');
