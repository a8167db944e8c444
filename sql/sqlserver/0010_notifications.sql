-- Notifications to citizens and staff (issue 10, item 3): an outbox written in the same transaction as the change it
-- announces, sent later by the notification-sender job (src/CitizenCrm.Core/Notifications/). The columns up to
-- attempts are the contract the queue and report helpers read (notes/COMMON.md); the rest is the sender's own.
CREATE TABLE notifications (
    id              uniqueidentifier NOT NULL PRIMARY KEY,                 -- guid; also the SMTP Message-ID's left part
    kind            nvarchar(20) NOT NULL CONSTRAINT ck_notifications_kind CHECK (kind IN (N'acknowledgement', N'forwarded', N'term_extended', N'answer', N'escalation')),
    channel         nvarchar(10) NOT NULL CHECK (channel IN (N'email', N'sms')),
    status          nvarchar(10) NOT NULL CHECK (status IN (N'pending', N'sent', N'failed')),
    case_id         uniqueidentifier NULL REFERENCES cases (id),
    citizen_id      uniqueidentifier NULL REFERENCES citizens (id),        -- NULL for a contact or a staff member
    created_at      BIGINT       NOT NULL,
    sent_at         BIGINT       NULL,
    failed_at       BIGINT       NULL,                                 -- when it was given up
    last_error      nvarchar(500) NULL,                                 -- never holds the address
    attempts        BIGINT       NOT NULL DEFAULT 0,                   -- counted when a run claims it, before sending
    -- The sender's bookkeeping.
    recipient       nvarchar(254) NOT NULL,                             -- e-mail address or E.164 number (personal data)
    recipient_name  nvarchar(200) NULL,
    staff_username  nvarchar(64) NULL,                                 -- set when the recipient is a staff member
    language        nvarchar(2)  NOT NULL,
    subject         nvarchar(400) NULL,                                 -- e-mail only
    body            nvarchar(max) NOT NULL,                             -- rendered from the template when it was queued
    attachment_sha256 nvarchar(64) NULL,                                -- a case document (see case_documents)
    attachment_name nvarchar(200) NULL,
    attachment_type nvarchar(100) NULL,
    next_attempt_at BIGINT       NOT NULL,                             -- not tried before this (backoff)
    claimed_by      nvarchar(40) NULL,                                 -- the run that is sending it now
    claimed_until   BIGINT       NULL,                                 -- its lease: after this another run may take it
    provider_id     nvarchar(300) NULL                                  -- the Message-ID sent, or Twilio's message SID
);
CREATE INDEX ix_notifications_due ON notifications (status, next_attempt_at);
CREATE INDEX ix_notifications_case ON notifications (case_id);
CREATE INDEX ix_notifications_created ON notifications (created_at, id);

-- The texts, one per kind and language. Placeholders are {name} in braces (see NotificationTemplates.cs for each
-- kind's list). SMS texts leave out diacritics on purpose: one character outside the GSM 03.38 alphabet switches the
-- whole SMS to UCS-2, 70 characters a segment instead of 160, and the city pays per segment. Hungarian dates end
-- with a dot (2026.04.01.), so no full stop follows {term} or {date} in the Hungarian texts.
CREATE TABLE notification_templates (
    kind       nvarchar(20) NOT NULL,
    language   nvarchar(2)  NOT NULL CHECK (language IN (N'ro', N'en', N'hu')),
    subject    nvarchar(400) NOT NULL,
    body       nvarchar(max) NOT NULL,
    sms        nvarchar(480) NULL,                                      -- NULL for kinds that go only by e-mail
    updated_at BIGINT       NULL,
    updated_by nvarchar(64) NULL,
    PRIMARY KEY (kind, language)
);

-- Every change an admin makes to a template, with who made it and the text before and after.
CREATE TABLE notification_template_changes (
    seq            BIGINT IDENTITY(1,1) NOT NULL PRIMARY KEY,
    kind           nvarchar(20) NOT NULL,
    language       nvarchar(2)  NOT NULL,
    changed_at     BIGINT       NOT NULL,
    actor          nvarchar(64) NOT NULL,
    before_subject nvarchar(400) NOT NULL,
    before_body    nvarchar(max) NOT NULL,
    before_sms     nvarchar(480) NULL,
    after_subject  nvarchar(400) NOT NULL,
    after_body     nvarchar(max) NOT NULL,
    after_sms      nvarchar(480) NULL
);
CREATE INDEX ix_notification_template_changes ON notification_template_changes (kind, language, seq);

-- Staff members reached by the deadline sweep's escalation notice: their e-mail, and the department whose
-- supervisors they are (matched against cases.assigned_department). Both optional.
ALTER TABLE staff_users ADD email nvarchar(254) NULL;
ALTER TABLE staff_users ADD department nvarchar(200) NULL;

INSERT INTO notification_templates (kind, language, subject, body, sms) VALUES
(N'acknowledgement', N'ro', N'Înregistrare {number}: {subject}',
 N'Bună ziua, {name},

Solicitarea dumneavoastră „{subject}” a fost înregistrată la Primărie cu numărul {number} din {date}.
Termenul de răspuns este {term}.

Vă rugăm să menționați numărul de înregistrare în orice corespondență.

Registratura Primăriei',
 N'Primaria: solicitarea dvs. a fost inregistrata cu nr. {number} din {date}. Termen de raspuns: {term}.'),
(N'acknowledgement', N'en', N'Registered as {number}: {subject}',
 N'Hello {name},

Your request "{subject}" was registered at the City Hall as number {number} on {date}.
The answer is due by {term}.

Please quote the registration number in any correspondence.

City Hall registry',
 N'City Hall: your request was registered as no. {number} on {date}. Answer due by {term}.'),
(N'acknowledgement', N'hu', N'Iktatva {number} számon: {subject}',
 N'Tisztelt {name}!

A(z) „{subject}” tárgyú beadványát a Polgármesteri Hivatal {date} napon {number} számon iktatta.
A válaszadási határidő: {term}

Kérjük, minden levelezésben hivatkozzon az iktatószámra.

Polgármesteri Hivatal, Iktató',
 N'Polgarmesteri Hivatal: beadvanyat {date} napon {number} szamon iktattuk. Valaszadasi hatarido: {term}'),

(N'forwarded', N'ro', N'Petiția {number} a fost trimisă către {forwarded_to}',
 N'Bună ziua, {name},

Petiția dumneavoastră „{subject}”, înregistrată cu numărul {number} din {date}, nu este de competența Primăriei și a fost trimisă spre soluționare către {forwarded_to} (OG 27/2002, art. 6^1). Răspunsul vi-l va comunica această instituție.

Registratura Primăriei',
 N'Primaria: petitia nr. {number} din {date} a fost trimisa spre solutionare catre {forwarded_to}, care va va raspunde.'),
(N'forwarded', N'en', N'Petition {number} forwarded to {forwarded_to}',
 N'Hello {name},

Your petition "{subject}", registered as number {number} on {date}, is not within the City Hall''s remit and has been forwarded to {forwarded_to} (Government Ordinance 27/2002, art. 6^1), which will answer you.

City Hall registry',
 N'City Hall: petition no. {number} of {date} was forwarded to {forwarded_to}, which will answer you.'),
(N'forwarded', N'hu', N'A(z) {number} számú beadványt továbbítottuk: {forwarded_to}',
 N'Tisztelt {name}!

A(z) „{subject}” tárgyú, {date} napon {number} számon iktatott beadványa nem tartozik a Polgármesteri Hivatal hatáskörébe, ezért továbbítottuk az illetékes intézménynek: {forwarded_to} (27/2002-es kormányrendelet, 6^1. cikk). A választ ez az intézmény küldi meg.

Polgármesteri Hivatal, Iktató',
 N'Polgarmesteri Hivatal: a(z) {number} szamu beadvanyat tovabbitottuk: {forwarded_to}, onnan kap valaszt.'),

(N'term_extended', N'ro', N'Termen prelungit pentru {number}',
 N'Bună ziua, {name},

Răspunsul la solicitarea „{subject}”, înregistrată cu numărul {number} din {date}, necesită mai mult timp. Noul termen de răspuns este {term}.
Motivul: {reason}

Registratura Primăriei',
 N'Primaria: termenul de raspuns pentru nr. {number} din {date} a fost prelungit pana la {term}.'),
(N'term_extended', N'en', N'More time needed for {number}',
 N'Hello {name},

The answer to your request "{subject}", registered as number {number} on {date}, needs more time. It is now due by {term}.
Reason: {reason}

City Hall registry',
 N'City Hall: the answer to no. {number} of {date} is now due by {term}.'),
(N'term_extended', N'hu', N'Meghosszabbított határidő: {number}',
 N'Tisztelt {name}!

A(z) „{subject}” tárgyú, {date} napon {number} számon iktatott kérelmére adandó válasz több időt igényel. Az új válaszadási határidő: {term}
Indoklás: {reason}

Polgármesteri Hivatal, Iktató',
 N'Polgarmesteri Hivatal: a(z) {number} szamu kerelem valaszadasi hatarideje: {term}'),

(N'answer', N'ro', N'Răspuns la {number}: {subject}',
 N'Bună ziua, {name},

Vă transmitem răspunsul Primăriei la solicitarea dumneavoastră nr. {number} din {date} (număr de ieșire {outgoing_number}).

{answer}

Temei legal: {legal_basis}
Semnat: {signed_by}', NULL),
(N'answer', N'en', N'Answer to {number}: {subject}',
 N'Hello {name},

Please find below the City Hall''s answer to your request no. {number} of {date} (outgoing no. {outgoing_number}).

{answer}

Legal basis: {legal_basis}
Signed: {signed_by}', NULL),
(N'answer', N'hu', N'Válasz a(z) {number} számú beadványra: {subject}',
 N'Tisztelt {name}!

Alább küldjük a Polgármesteri Hivatal válaszát a(z) {date} napon {number} számon iktatott beadványára (kimenő szám: {outgoing_number}).

{answer}

Jogalap: {legal_basis}
Aláírta: {signed_by}', NULL),

(N'escalation', N'ro', N'Termen aproape: {number} expiră pe {term}',
 N'Cazul {number} („{subject}”) are termenul de răspuns pe {term}, în cel mult 3 zile lucrătoare.
Repartizat: {assignee} ({department}).

Vă rugăm să îl rezolvați la timp sau să prelungiți termenul acolo unde legea o permite.', NULL),
(N'escalation', N'en', N'Due soon: {number} is due on {term}',
 N'Case {number} ("{subject}") is due on {term}, within 3 working days.
Assigned to: {assignee} ({department}).

Please answer it in time, or extend its term where the law allows.', NULL),
(N'escalation', N'hu', N'Lejáró határidő: {number}, határidő {term}',
 N'A(z) {number} számú ügy („{subject}”) határideje {term}, legfeljebb 3 munkanapon belül.
Felelős: {assignee} ({department}).

Kérjük, válaszoljon időben, vagy hosszabbítsa meg a határidőt, ahol a törvény ezt megengedi.', NULL);
