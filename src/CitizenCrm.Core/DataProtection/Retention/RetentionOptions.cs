using System.Globalization;
using CitizenCrm.Core.Phone;
using Microsoft.Extensions.Options;

namespace CitizenCrm.Core.DataProtection.Retention;

/// <summary>
/// Bound from "DataProtection:Retention": how many days each kind of record is kept before the data-retention job deletes
/// it. GDPR art. 5(1)(e) asks that personal data be kept no longer than needed; where a law sets the period it is cited,
/// where none does the comment says so and why the default was chosen (docs/DATA-PROTECTION.md has the same table).
/// </summary>
public sealed class RetentionOptions
{
    public const string Section = "DataProtection:Retention";

    /// <summary>The older name of <see cref="PhoneCallDays"/>, still honoured (the phone housekeeping job read it first).</summary>
    public const string PhoneHousekeepingSetting = "Jobs:PhoneHousekeeping:RetentionDays";

    /// <summary>
    /// An ended call's state row (ivr_calls: the caller's number, the robot's state), counted from the call's end. No law
    /// sets it: 90 days covers a petition's term with its extension (30 + 15 days, OG 27/2002 arts. 8-9), a complaint about
    /// how the call went, and the monthly reconciliation of the telephony bill. The timeline keeps the call's story
    /// (masked number only). One setting for both jobs that delete these rows (phone housekeeping and data retention).
    /// </summary>
    public int PhoneCallDays { get; set; } = 90;

    /// <summary>
    /// The link to a voice message's recording on a handled phone request, counted from when it was handled. No law sets
    /// it: once a dispatcher has handled the message, the link only serves a dispute about the answer, which the law on
    /// administrative litigation opens within 30 days of the answer (prior complaint, Law 554/2004 art. 7(1)).
    /// The recording itself is Twilio's: its retention is set in the Twilio account (README).
    /// </summary>
    public int RecordingLinkDays { get; set; } = 30;

    /// <summary>A handled callback or message request (phone_requests: the caller's number), counted from when it was handled. As <see cref="PhoneCallDays"/>.</summary>
    public int PhoneRequestDays { get; set; } = 90;

    /// <summary>
    /// Who read which citizen's record, and when (audit_log). No law sets a period; the log is the city hall's proof of
    /// who accessed a record if a citizen claims damages (GDPR art. 82, Law 190/2018), and such a claim lapses after the
    /// general limitation period of 3 years (Civil Code art. 2517): 3 years and a leap day.
    /// </summary>
    public int AuditLogDays { get; set; } = 1096;

    /// <summary>
    /// A received e-mail that became no case (failed or ignored) and the personal details (sender, subject) of its
    /// timeline event, counted from the last time the mailbox touched it. No law sets it: the dispatchers must have looked
    /// at the mailbox's failed folder well within a petition's term with its extension (30 + 15 days, OG 27/2002
    /// arts. 8-9); 90 days as for phone calls. The event itself stays ("Personal details erased").
    /// </summary>
    public int UnmatchedEmailDays { get; set; } = 90;

    /// <summary>
    /// A failed staff sign-in (user name tried, client address). No law sets it: the lockout reads only the last
    /// Staff:FailureWindowMinutes; 90 days lets an admin investigate a break-in attempt noticed late.
    /// </summary>
    public int LoginFailureDays { get; set; } = 90;

    /// <summary>
    /// A command's stored answer under its Idempotency-Key (it may hold a citizen's data). No law sets it: a client
    /// retries within minutes or hours; 7 days covers a device left offline over a long weekend.
    /// </summary>
    public int IdempotencyKeyDays { get; set; } = 7;

    /// <summary>
    /// A staff token past its expiry or revocation (which staff account was signed in, when). No law sets it: 30 days
    /// lets an admin check a suspected misuse of an account reported within the month; an expired token signs nobody in.
    /// </summary>
    public int StaffTokenDays { get; set; } = 30;

    /// <summary>
    /// A failed phone PIN (a keyed hash of the CNP, the call). The lockout counts only the last 24 hours
    /// (<see cref="VerifyCallerHandler.FailureWindow"/>); older rows count for nothing, and the timeline keeps each attempt.
    /// So one day: the lockout window itself. No law sets it.
    /// </summary>
    public int PhonePinFailureDays { get; set; } = 1;

    /// <summary>
    /// Backup sets written by the backup verb. An erased citizen's data lives in the backups until they expire. 35 days:
    /// a backup must reach back a month to undo a mistake noticed at the monthly closing, and no further, so data erased
    /// on request leaves every backup within about the one month a data-subject request is answered in (GDPR art. 12(3)),
    /// with a few days' margin for the newest set taken before the erasure. No law sets it.
    /// </summary>
    public int BackupDays { get; set; } = 35;

    private string? _conflict;
    private bool _phoneDaysFromOlderSetting;

    /// <summary>
    /// Honours the older setting <see cref="PhoneHousekeepingSetting"/> when the new one is not given; when both are
    /// given and disagree, the start stops (two answers to one question).
    /// </summary>
    public void AdoptPhoneHousekeepingSetting(string? phoneCallDays, string? olderSetting)
    {
        if (string.IsNullOrWhiteSpace(olderSetting)) return;
        if (!int.TryParse(olderSetting, NumberStyles.Integer, CultureInfo.InvariantCulture, out var older))
        {
            _conflict = $"{PhoneHousekeepingSetting} is '{olderSetting}': give a whole number of days (or set {Section}:PhoneCallDays instead).";
            return;
        }
        if (string.IsNullOrWhiteSpace(phoneCallDays))
        {
            PhoneCallDays = older;
            _phoneDaysFromOlderSetting = true;
        }
        else if (older != PhoneCallDays)
            _conflict = $"{Section}:PhoneCallDays is {PhoneCallDays} but {PhoneHousekeepingSetting} is {older}: they are one setting; " +
                        $"keep {Section}:PhoneCallDays and remove {PhoneHousekeepingSetting}.";
    }

    /// <summary>What is wrong with the settings, one sentence each naming the setting; empty when they are usable.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (_conflict is not null) problems.Add(_conflict);
        foreach (var (name, days) in Periods())
            if (days < 1)
                problems.Add($"{(name == nameof(PhoneCallDays) && _phoneDaysFromOlderSetting ? PhoneHousekeepingSetting : Section + ":" + name)} is {days}: " +
                             "give a number of days of at least 1 (a retention of 0 days would delete records as they are written).");
        return problems;
    }

    public IEnumerable<(string Name, int Days)> Periods() =>
    [
        (nameof(PhoneCallDays), PhoneCallDays), (nameof(RecordingLinkDays), RecordingLinkDays), (nameof(PhoneRequestDays), PhoneRequestDays),
        (nameof(AuditLogDays), AuditLogDays), (nameof(UnmatchedEmailDays), UnmatchedEmailDays), (nameof(LoginFailureDays), LoginFailureDays),
        (nameof(IdempotencyKeyDays), IdempotencyKeyDays), (nameof(StaffTokenDays), StaffTokenDays),
        (nameof(PhonePinFailureDays), PhonePinFailureDays), (nameof(BackupDays), BackupDays),
    ];
}

/// <summary>Checks the retention settings when the server (or a CLI verb) starts: a bad one stops the start, named.</summary>
public sealed class RetentionOptionsValidation(IOptions<Staff.StaffOptions> staff) : IValidateOptions<RetentionOptions>
{
    public ValidateOptionsResult Validate(string? name, RetentionOptions options)
    {
        var problems = options.Problems().ToList();
        // The sign-in lockout counts the failures of its window: deleting younger ones would lift a lock early.
        if (options.LoginFailureDays >= 1 && TimeSpan.FromDays(options.LoginFailureDays) < TimeSpan.FromMinutes(staff.Value.FailureWindowMinutes))
            problems.Add($"{RetentionOptions.Section}:LoginFailureDays is {options.LoginFailureDays}, shorter than Staff:FailureWindowMinutes " +
                         $"({staff.Value.FailureWindowMinutes:0}): keep sign-in failures at least as long as the lockout counts them.");
        return problems.Count > 0 ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
    }
}
