namespace CitizenCrm.Core.DataProtection.Retention;

/// <summary>
/// One kind of record and how it expires: the setting that gives its days, what the run's summary calls it, and the
/// statement that forgets one batch of expired rows (at most @Batch rows older than @Cutoff, UTC ms). A rule's statement
/// touches only rows past the cutoff, so running it again finds nothing more: the job is idempotent by construction.
/// </summary>
public sealed record RetentionRule(string Name, string Setting, Func<RetentionOptions, int> Days, string Sql);

public static class RetentionRules
{
    /// <summary>Rows per statement: each batch is its own short transaction, so the phone and the desk never wait long for the writer.</summary>
    public const int BatchSize = 1000;

    // Every statement picks its batch through an index (sql/sqlite/0020_retention.sql) with a strict "<": a row exactly
    // at the cutoff has one more instant to live.
    public static readonly IReadOnlyList<RetentionRule> All =
    [
        // Only ended calls: a call still in the robot or waiting for an operator is never cut short.
        new("ended calls", nameof(RetentionOptions.PhoneCallDays), o => o.PhoneCallDays, """
            DELETE FROM ivr_calls WHERE call_sid IN (
                SELECT call_sid FROM ivr_calls WHERE status = 'ended' AND ended_at < @Cutoff LIMIT @Batch)
            """),
        // Only handled requests: an open callback request is a citizen still waiting to be called back.
        new("handled phone requests", nameof(RetentionOptions.PhoneRequestDays), o => o.PhoneRequestDays, """
            DELETE FROM phone_requests WHERE id IN (
                SELECT id FROM phone_requests WHERE handled_at IS NOT NULL AND handled_at < @Cutoff LIMIT @Batch)
            """),
        // After the rows above, so a request deleted today is not counted again as a link cleared. The link goes, the
        // request's length and handling stay until the row's own time. An UPDATE, not a DELETE: the
        // row still serves the dispatchers' history; no trigger guards phone_requests.
        new("recording links", nameof(RetentionOptions.RecordingLinkDays), o => o.RecordingLinkDays, """
            UPDATE phone_requests SET recording_url = NULL WHERE id IN (
                SELECT id FROM phone_requests WHERE handled_at IS NOT NULL AND handled_at < @Cutoff AND recording_url IS NOT NULL LIMIT @Batch)
            """),
        new("audit entries", nameof(RetentionOptions.AuditLogDays), o => o.AuditLogDays, """
            DELETE FROM audit_log WHERE id IN (SELECT id FROM audit_log WHERE at < @Cutoff LIMIT @Batch)
            """),
        // The details of the events of e-mails that became no case (email.failed names no case and no citizen); the
        // event rows stay, so the mailbox's figures still count them, and the view reads "Personal details erased".
        // Before the mail rows below, in the same run, though neither depends on the other.
        new("unmatched e-mail details", nameof(RetentionOptions.UnmatchedEmailDays), o => o.UnmatchedEmailDays, """
            DELETE FROM timeline_details WHERE seq IN (
                SELECT e.seq FROM timeline_events e JOIN timeline_details d ON d.seq = e.seq
                WHERE e.kind = 'email.failed' AND e.case_id IS NULL AND e.citizen_id IS NULL AND e.recorded_at < @Cutoff
                LIMIT @Batch)
            """),
        // 'retrying' rows are still being worked on, 'registered'/'threaded' belong to a case, 'sent' rows thread replies.
        // A failed or ignored message has left the inbox (moved to its folder), so forgetting it never registers it twice.
        new("unmatched e-mails", nameof(RetentionOptions.UnmatchedEmailDays), o => o.UnmatchedEmailDays, """
            DELETE FROM mail_messages WHERE message_key IN (
                SELECT message_key FROM mail_messages
                WHERE direction = 'received' AND case_id IS NULL AND outcome IN ('failed', 'ignored') AND updated_at < @Cutoff
                LIMIT @Batch)
            """),
        new("sign-in failures", nameof(RetentionOptions.LoginFailureDays), o => o.LoginFailureDays, """
            DELETE FROM login_failures WHERE id IN (SELECT id FROM login_failures WHERE at < @Cutoff LIMIT @Batch)
            """),
        new("idempotency keys", nameof(RetentionOptions.IdempotencyKeyDays), o => o.IdempotencyKeyDays, """
            DELETE FROM idempotency_keys WHERE scope_key IN (
                SELECT scope_key FROM idempotency_keys WHERE created_at < @Cutoff LIMIT @Batch)
            """),
        // Counted from the expiry, or from the revocation when the token was revoked before it expired.
        new("staff tokens", nameof(RetentionOptions.StaffTokenDays), o => o.StaffTokenDays, """
            DELETE FROM staff_tokens WHERE token_hash IN (
                SELECT token_hash FROM staff_tokens WHERE expires_at < @Cutoff
                UNION
                SELECT token_hash FROM staff_tokens WHERE revoked_at IS NOT NULL AND revoked_at < @Cutoff
                LIMIT @Batch)
            """),
        new("phone PIN failures", nameof(RetentionOptions.PhonePinFailureDays), o => o.PhonePinFailureDays, """
            DELETE FROM phone_pin_failures WHERE id IN (SELECT id FROM phone_pin_failures WHERE at < @Cutoff LIMIT @Batch)
            """),
    ];

    public static RetentionRule? Find(string name) => All.FirstOrDefault(r => r.Name == name);
}
