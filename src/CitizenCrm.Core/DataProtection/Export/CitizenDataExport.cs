using System.Text.Json;

namespace CitizenCrm.Core.DataProtection.Export;

/// <summary>
/// Everything the city hall holds about one citizen, as one document (GDPR art. 15: a copy of the personal data; art. 20:
/// in a structured, commonly used, machine-readable format). Read straight from the database, unmasked: it is the
/// citizen's own data. Secrets are never in it (the PIN's and access codes' hashes, the keys derived from the CNP,
/// tokens): it says that a PIN exists and when it was issued.
/// <see cref="Sources"/> says which table each part comes from, and <see cref="LeftOut"/> which tables naming the citizen
/// are not in it, and why; a test holds both against the schema (tests/.../DataProtection/Export/ExportCoverageTests.cs).
/// </summary>
public sealed record CitizenDataExport(
    string Format,
    Guid RequestId,
    Guid CitizenId,
    DateTimeOffset GeneratedAt,
    string GeneratedBy,
    string Controller,
    string LegalBasis,
    IReadOnlyList<ExportSource> Sources,
    IReadOnlyList<ExportLeftOut> LeftOut,
    ExportIdentity Identity,
    IReadOnlyList<ExportCase> Cases,
    IReadOnlyList<ExportTax> Taxes,
    IReadOnlyList<ExportFine> Fines,
    IReadOnlyList<ExportTimelineEvent> Timeline,
    IReadOnlyList<ExportPhoneCall> PhoneCalls,
    IReadOnlyList<ExportPhoneRequest> PhoneRequests,
    IReadOnlyList<ExportNotification> Notifications,
    IReadOnlyList<ExportRead> ReadsOfYourRecord,
    IReadOnlyList<ExportDataRequest> DataSubjectRequests,
    ExportErasure? Erasure)
{
    public const string FormatName = "citizencrm-subject-access/1";
}

/// <summary>
/// Where a part of the export comes from: <see cref="Path"/> in the document (names joined by dots, [] for each element
/// of a list), the <see cref="Table"/> it is read from, and the <see cref="Match"/> columns whose values identify a row there.
/// </summary>
public sealed record ExportSource(string Path, string Table, IReadOnlyList<string> Match);

/// <summary>A table (and the column that names the citizen or their case) deliberately not in the export, and why.</summary>
public sealed record ExportLeftOut(string Table, string Column, string Reason);

public sealed record ExportIdentity(
    Guid Id, string IdType, string NationalId, string FirstName, string LastName, DateOnly? DateOfBirth, string? Address,
    string PreferredLanguage, IReadOnlyList<string> Phones, IReadOnlyList<string> Emails, bool PhonePinIssued,
    DateTimeOffset? PhonePinIssuedAt, ExportPhoneLock? PhoneAccessLock, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>The phone robot's lock after too many wrong PINs (its key, derived from the CNP, is a secret and not shown).</summary>
public sealed record ExportPhoneLock(Guid CitizenId, DateTimeOffset? LockedAt, DateTimeOffset? UnlockedAt, string? UnlockedBy,
    IReadOnlyList<ExportPinFailure> WrongPins);

/// <summary>A wrong PIN typed on the phone with the citizen's CNP, and the call it was typed in.</summary>
public sealed record ExportPinFailure(DateTimeOffset At, string CallSid);

public sealed record ExportCase(
    Guid Id, string RegistrationNumber, string Register, string Kind, string? Service, string Status, string Channel,
    string YourPart, string Subject, string? Description, string PartyKind, string? OrganisationName, string? OrganisationCui,
    string? ContactName, string? ContactDetails, DateTimeOffset RegisteredAt, DateOnly RegisteredOn, int? TermDays,
    int? ExtendedByDays, DateOnly? DueOn, string? AssignedDepartment, string? AssignedTo, string? ForwardedTo, string? Note,
    string? AnswerNumber, string? AnswerText, string? AnswerLegalBasis, string? AnswerSignedBy, string? AnswerSentVia,
    DateTimeOffset? AnswerSentAt, DateOnly? AnsweredOn, DateTimeOffset? ClosedAt,
    ExportIntake? Intake, IReadOnlyList<ExportDocument> Documents, ExportPlace? Place, ExportMapReport? MapReport,
    IReadOnlyList<ExportPhoto> Photos, IReadOnlyList<ExportEmail> Emails);

/// <summary>How the case was taken in; whether the phone robot gave an access code (its hash is a secret, not shown).</summary>
public sealed record ExportIntake(Guid CaseId, string RegisteredBy, string? OnBehalfOf, string? CallSid, bool AccessCodeIssued, DateTimeOffset CreatedAt);

/// <summary>A document of the case, listed (not its bytes: a copy is given on request, GDPR art. 15(3)).</summary>
public sealed record ExportDocument(string Sha256, string? Name, string Type, long SizeBytes, string AttachedBy, DateTimeOffset AttachedAt);

public sealed record ExportPlace(Guid CaseId, double? Latitude, double? Longitude, string? Address);

public sealed record ExportMapReport(Guid CaseId, string Source, string? DeviceId, string? AccountId, JsonElement Answers,
    JsonElement MediaLinks, bool OnPublicMap, DateTimeOffset? HiddenAt, string? HiddenReason, DateTimeOffset CreatedAt);

public sealed record ExportPhoto(Guid Id, int Position, string Sha256, string Type, int Width, int Height, long SizeBytes,
    string OriginalType, DateTimeOffset? PublishedAt, DateTimeOffset? HiddenAt, string? HiddenReason, DateTimeOffset CreatedAt);

/// <summary>An e-mail of the case as the mailbox poller recorded it (its Message-ID; the text is on the timeline).</summary>
public sealed record ExportEmail(string MessageKey, string Direction, string Outcome, string? Reason, DateTimeOffset RecordedAt);

public sealed record ExportTax(Guid Id, string SourceRef, string TaxKind, int FiscalYear, string Description, decimal AmountDueLei,
    decimal AmountPaidLei, decimal? IncreasesLei, DateOnly ExportedOn);

public sealed record ExportFine(Guid Id, string SourceRef, string ReportNumber, DateOnly HandedOverOn, string LegalBasis, string FineCategory,
    decimal AmountAppliedLei, decimal LegalMinimumLei, decimal AmountPaidLei, DateOnly? PaidOn, DateOnly ExportedOn);

public sealed record ExportTimelineEvent(long Seq, Guid EventId, Guid? CaseId, string? Correlation, string Channel, string Kind, string Actor,
    string? OnBehalfOf, DateTimeOffset OccurredAt, DateTimeOffset RecordedAt, string Summary, JsonElement Details, bool Erased);

/// <summary>A call to the phone robot (its working state and last TwiML reply are the machine's, not shown; what was said is on the timeline).</summary>
public sealed record ExportPhoneCall(string CallSid, string? CallerNumber, string Language, string Status, string Outcome,
    DateTimeOffset StartedAt, DateTimeOffset? EndedAt, int? DurationSeconds);

public sealed record ExportPhoneRequest(Guid Id, string CallSid, string Kind, string Reason, string? CallerNumber, string Language,
    string? RecordingUrl, int? RecordingSeconds, DateTimeOffset CreatedAt, DateTimeOffset? HandledAt, string? HandledBy, string? Note);

/// <summary>A message sent (or to be sent) to the citizen, or to staff about one of their cases (the staff address is not theirs: not shown).</summary>
public sealed record ExportNotification(Guid Id, Guid? CaseId, string Kind, string Channel, string Status, string? Recipient, string? ToStaff,
    string? Subject, string Body, string? AttachmentName, DateTimeOffset CreatedAt, DateTimeOffset? SentAt);

/// <summary>One read of the citizen's record by staff, from the audit log.</summary>
public sealed record ExportRead(long Id, DateTimeOffset At, string Actor, string ActorRole, string Endpoint, string Query);

public sealed record ExportDataRequest(Guid Id, string Kind, string Status, DateOnly ReceivedOn, DateOnly DueOn, DateOnly? ExtendedTo,
    string? ExtensionReason, string Channel, DateTimeOffset RegisteredAt, DateTimeOffset? CompletedAt, string? Outcome);

public sealed record ExportErasure(Guid CitizenId, Guid? RequestId, DateTimeOffset ErasedAt, string ErasedBy, string LegalBasis, string Summary);
