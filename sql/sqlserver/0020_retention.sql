-- Issue 12, retention (GDPR art. 5(1)(e)): the data-retention job deletes, every night, the rows whose retention has run
-- out (src/CitizenCrm.Core/DataProtection/Retention/). Each rule is a DELETE of the rows older than a cutoff, in batches;
-- these indexes let each batch find its rows without reading the whole table, however long the table has grown.

CREATE INDEX ix_audit_log_at ON audit_log (at);
CREATE INDEX ix_login_failures_at ON login_failures (at);
CREATE INDEX ix_idempotency_keys_created ON idempotency_keys (created_at);
CREATE INDEX ix_staff_tokens_expires ON staff_tokens (expires_at);
CREATE INDEX ix_staff_tokens_revoked ON staff_tokens (revoked_at) WHERE revoked_at IS NOT NULL;
CREATE INDEX ix_phone_pin_failures_at ON phone_pin_failures (at);
CREATE INDEX ix_ivr_calls_ended ON ivr_calls (status, ended_at);
CREATE INDEX ix_phone_requests_handled ON phone_requests (handled_at) WHERE handled_at IS NOT NULL;
-- A received e-mail that became no case: refused (failed) or an automatic message set aside (ignored).
CREATE INDEX ix_mail_messages_unmatched ON mail_messages (updated_at)
    WHERE direction = N'received' AND case_id IS NULL AND outcome IN (N'failed', N'ignored');
-- The events of those e-mails: no case, no citizen; their details (sender, subject) are what the rule deletes.
CREATE INDEX ix_timeline_events_unmatched ON timeline_events (kind, recorded_at) WHERE case_id IS NULL AND citizen_id IS NULL;
