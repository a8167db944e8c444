-- Issue 12, item 1: a data-subject request's term extended (GDPR art. 12(3): "The controller shall inform the data
-- subject of any such extension within one month of receipt of the request, together with the reasons for the delay").
-- A new notice kind, 'request_extended', queued to the citizen in the transaction that records the extension
-- (Core/DataProtection/Requests/ExtendDataRequest.cs). It concerns no case: case_id stays NULL, citizen_id is set.
--
-- SQLite rebuilds the notifications table to change its CHECK constraint; SQL Server changes the named constraint in
-- place, which leaves the same table, rows and indexes.
ALTER TABLE notifications DROP CONSTRAINT ck_notifications_kind;
ALTER TABLE notifications ADD CONSTRAINT ck_notifications_kind
    CHECK (kind IN (N'acknowledgement', N'forwarded', N'term_extended', N'answer', N'escalation', N'status_changed', N'request_extended'));

-- Placeholders: {name} of the citizen, {request} what they asked for (in their language, composed by the code),
-- {date} the day it was received, {term} the new last day, {reason} why more time is needed.
-- The SMS texts leave out diacritics and {request} (which has them) on purpose: see 0010 (GSM 03.38, one segment).
INSERT INTO notification_templates (kind, language, subject, body, sms) VALUES
(N'request_extended', N'ro', N'Termen prelungit pentru cererea privind datele dumneavoastră personale',
 N'Bună ziua, {name},

Cererea dumneavoastră {request}, primită la Primărie pe {date}, necesită mai mult timp. Potrivit art. 12 alin. (3) din Regulamentul (UE) 2016/679 (GDPR), termenul de răspuns se prelungește până la {term}.
Motivul: {reason}

Responsabilul cu protecția datelor, Primăria',
 N'Primaria: termenul de raspuns la cererea dvs. privind datele personale, primita pe {date}, a fost prelungit pana la {term} (GDPR art. 12).'),
(N'request_extended', N'en', N'More time needed for your request about your personal data',
 N'Hello {name},

Your request for {request}, received by the City Hall on {date}, needs more time. Under Article 12(3) of Regulation (EU) 2016/679 (GDPR), the answer is now due by {term}.
Reason: {reason}

Data protection officer, City Hall',
 N'City Hall: the answer to your personal data request received on {date} is now due by {term} (GDPR art. 12).'),
(N'request_extended', N'hu', N'Meghosszabbított határidő a személyes adataira vonatkozó kérelmében',
 N'Tisztelt {name}!

A(z) {date} napon beérkezett, {request} vonatkozó kérelme több időt igényel. Az (EU) 2016/679 rendelet (GDPR) 12. cikk (3) bekezdése alapján a válaszadási határidő: {term}
Indoklás: {reason}

Adatvédelmi tisztviselő, Polgármesteri Hivatal',
 N'Polgarmesteri Hivatal: a(z) {date} napon beerkezett, szemelyes adataira vonatkozo kerelme valaszadasi hatarideje: {term} (GDPR 12. cikk)');
