-- Issue 11, item 7: reporters on the map hear back. A new notice kind, 'status_changed', queued in the transaction of
-- each public step of a map report (the kinds of Core/Map/ReportUpdates.cs) to its reporter and to the reporters of
-- the reports a dispatcher merged into it (cases.joined_to_case_id), by e-mail only.
--
-- SQLite rebuilds the notifications table to change its CHECK constraint; SQL Server changes the named constraint in
-- place, which leaves the same table, rows and indexes.
ALTER TABLE notifications DROP CONSTRAINT ck_notifications_kind;
ALTER TABLE notifications ADD CONSTRAINT ck_notifications_kind
    CHECK (kind IN (N'acknowledgement', N'forwarded', N'term_extended', N'answer', N'escalation', N'status_changed'));

-- The reports merged into a case (its followers), found from the case that stays.
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ix_cases_joined_to' AND object_id = OBJECT_ID(N'cases'))
    CREATE INDEX ix_cases_joined_to ON cases (joined_to_case_id) WHERE joined_to_case_id IS NOT NULL;

-- Placeholders: {number} and {subject} of the report that changed, {name} of the reporter, {status} the public text of
-- the step (the same fixed text the public page shows, never a timeline summary), {link} its public page (/map/r/{id}).
-- E-mail only (sms stays NULL): a status line is not worth a paid SMS, and the acknowledgement already went by SMS
-- to a reporter who has only a mobile number.
INSERT INTO notification_templates (kind, language, subject, body, sms) VALUES
(N'status_changed', N'ro', N'Sesizarea {number}: {status}',
 N'Bună ziua, {name},

Sesizarea „{subject}”, nr. {number}, are o noutate: {status}

Puteți urmări sesizarea aici: {link}

Primăria', NULL),
(N'status_changed', N'en', N'Report {number}: {status}',
 N'Hello {name},

There is news about the report "{subject}", no. {number}: {status}

You can follow the report here: {link}

City Hall', NULL),
(N'status_changed', N'hu', N'A(z) {number} számú bejelentés: {status}',
 N'Tisztelt {name}!

A(z) „{subject}” tárgyú, {number} számú bejelentéssel kapcsolatban újdonság van: {status}

A bejelentést itt követheti: {link}

Polgármesteri Hivatal', NULL);
