using System.Text.Json;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Storage;

namespace CitizenCrm.Core.DataProtection.Export;

/// <summary>
/// Reads everything held about one citizen straight from the tables (not through the masked, audited API: the export is
/// audited once, as a whole). "Their cases" are the cases where they are the party, and those a volunteer or a mobile
/// team registered on their behalf (case_intake.on_behalf_of_id); "their calls" are the calls where the phone robot
/// identified them, or that left them a callback or a message.
/// </summary>
internal static class CitizenDataReader
{
    /// <summary>What each part of the document is read from (see <see cref="ExportSource"/>).</summary>
    public static readonly IReadOnlyList<ExportSource> Sources =
    [
        new("identity", "citizens", ["id"]),
        new("identity.phoneAccessLock", "phone_access_locks", ["citizen_id"]),
        new("identity.phoneAccessLock.wrongPins", "phone_pin_failures", ["call_sid"]),
        new("cases", "cases", ["id"]),
        new("cases[].intake", "case_intake", ["case_id"]),
        new("cases[].documents", "case_documents", ["case_id", "sha256"]),
        new("cases[].place", "case_locations", ["case_id"]),
        new("cases[].mapReport", "map_reports", ["case_id"]),
        new("cases[].photos", "case_photos", ["id"]),
        new("cases[].emails", "mail_messages", ["message_key"]),
        new("taxes", "tax_obligations", ["id"]),
        new("fines", "fines", ["id"]),
        new("timeline", "timeline_events", ["seq"]),
        new("timeline", "timeline_details", ["seq"]),
        new("phoneCalls", "ivr_calls", ["call_sid"]),
        new("phoneRequests", "phone_requests", ["id"]),
        new("notifications", "notifications", ["id"]),
        new("readsOfYourRecord", "audit_log", ["id"]),
        new("dataSubjectRequests", "data_subject_requests", ["id"]),
        new("erasure", "citizen_erasures", ["citizen_id"]),
    ];

    /// <summary>Tables that name the citizen or their case and are deliberately not in the export.</summary>
    public static readonly IReadOnlyList<ExportLeftOut> LeftOut =
    [
        new("citizen_name_tokens", "citizen_id", "A search copy of the name (its words, folded), which is in identity."),
        new("citizen_phones", "citizen_id", "A search copy of the phone numbers, which are in identity."),
        new("citizen_emails", "citizen_id", "A search copy of the e-mail addresses, which are in identity."),
        new("cases", "joined_to_case_id", "Another person's case joined to one of theirs: that person's data. Their own cases are all listed."),
        new("cases", "related_case_id", "Another person's case that raised a matter again: that person's data. Their own cases are all listed."),
        new("map_reports", "possible_duplicate_of", "Another reporter's map report flagged as a possible duplicate of theirs: that reporter's data."),
    ];

    // Their cases (CitizenCases: the same list the erasure works on), given as @Cases.
    private const string TheirCases = "SELECT id FROM cases WHERE id IN @Cases";
    // A call is theirs when the robot identified them, or when it came from one of their numbers (a call that failed
    // their PIN and locked their phone access never identified anyone, but its caller number is theirs).
    private const string TheirNumbers = "SELECT phone FROM citizen_phones WHERE citizen_id = @Id";
    private const string TheirCalls = "SELECT call_sid FROM ivr_calls WHERE citizen_id = @Id OR caller_number IN (" + TheirNumbers + ") " +
                                      "UNION SELECT call_sid FROM phone_requests WHERE citizen_id = @Id OR caller_number IN (" + TheirNumbers + ")";

    private const string CitizenSql = """
        SELECT id AS Id, id_type AS IdType, national_id AS NationalId, first_name AS FirstName, last_name AS LastName,
               date_of_birth AS DateOfBirth, address AS Address, preferred_language AS PreferredLanguage, phones AS Phones,
               emails AS Emails, pin_issued_at AS PinIssuedAt, CASE WHEN pin_hash IS NULL THEN 0 ELSE 1 END AS PinIssued,
               created_at AS CreatedAt, updated_at AS UpdatedAt, erased_at AS ErasedAt
        FROM citizens WHERE id = @Id
        """;
    private const string LockSql = """
        SELECT citizen_id AS CitizenId, locked_at AS LockedAt, unlocked_at AS UnlockedAt, unlocked_by AS UnlockedBy
        FROM phone_access_locks WHERE citizen_id = @Id ORDER BY COALESCE(locked_at, unlocked_at) DESC
        """;
    private const string WrongPinsSql = """
        SELECT f.at AS At, f.call_sid AS CallSid FROM phone_pin_failures f
        WHERE f.cnp_key IN (SELECT cnp_key FROM phone_access_locks WHERE citizen_id = @Id) ORDER BY f.at, f.id
        """;
    private const string CasesSql = """
        SELECT c.id AS Id, c.number AS Number, c.year AS Year, c.register_code AS Register, c.kind AS Kind, c.category_code AS Service,
               c.status AS Status, c.channel AS Channel, CASE WHEN c.citizen_id = @Id THEN 'party' ELSE 'on_behalf_of' END AS YourPart,
               c.subject AS Subject, c.description AS Description, c.party_kind AS PartyKind, c.organisation_name AS OrganisationName,
               c.organisation_cui AS OrganisationCui, c.contact_name AS ContactName, c.contact_details AS ContactDetails,
               c.registered_at AS RegisteredAt, c.registered_on AS RegisteredOn, c.term_days AS TermDays, c.extended_by_days AS ExtendedByDays,
               c.due_on AS DueOn, c.assigned_department AS AssignedDepartment, c.assigned_to AS AssignedTo, c.forwarded_to AS ForwardedTo,
               c.note AS Note, c.answer_number AS AnswerNumber, c.answer_year AS AnswerYear, c.answer_text AS AnswerText,
               c.answer_legal_basis AS AnswerLegalBasis, c.answer_signed_by AS AnswerSignedBy, c.answer_sent_via AS AnswerSentVia,
               c.answer_sent_at AS AnswerSentAt, c.answered_on AS AnsweredOn, c.closed_at AS ClosedAt
        FROM cases c WHERE c.id IN (
        """ + TheirCases + ") ORDER BY c.registered_at, c.id";
    private const string IntakeSql = """
        SELECT case_id AS CaseId, registered_by AS RegisteredBy, on_behalf_of AS OnBehalfOf, call_sid AS CallSid,
               CASE WHEN access_code_hash IS NULL THEN 0 ELSE 1 END AS AccessCodeIssued, created_at AS CreatedAt
        FROM case_intake WHERE case_id IN (
        """ + TheirCases + ")";
    private const string DocumentsSql = """
        SELECT case_id AS CaseId, sha256 AS Sha256, file_name AS Name, content_type AS Type, size_bytes AS SizeBytes,
               attached_by AS AttachedBy, attached_at AS AttachedAt
        FROM case_documents WHERE case_id IN (
        """ + TheirCases + ") ORDER BY attached_at, sha256";
    private const string PlacesSql = """
        SELECT case_id AS CaseId, latitude AS Latitude, longitude AS Longitude, address_string AS Address
        FROM case_locations WHERE case_id IN (
        """ + TheirCases + ")";
    private const string MapReportsSql = """
        SELECT case_id AS CaseId, source AS Source, device_id AS DeviceId, account_id AS AccountId, attributes AS Answers,
               media_links AS MediaLinks, public_text AS OnPublicMap, hidden_at AS HiddenAt, hidden_reason AS HiddenReason, created_at AS CreatedAt
        FROM map_reports WHERE case_id IN (
        """ + TheirCases + ")";
    private const string PhotosSql = """
        SELECT id AS Id, case_id AS CaseId, position AS Position, sha256 AS Sha256, content_type AS Type, width AS Width, height AS Height,
               size_bytes AS SizeBytes, original_type AS OriginalType, published_at AS PublishedAt, hidden_at AS HiddenAt,
               hidden_reason AS HiddenReason, created_at AS CreatedAt
        FROM case_photos WHERE case_id IN (
        """ + TheirCases + ") ORDER BY case_id, position";
    private const string EmailsSql = """
        SELECT case_id AS CaseId, message_key AS MessageKey, direction AS Direction, outcome AS Outcome, reason AS Reason, recorded_at AS RecordedAt
        FROM mail_messages WHERE case_id IN (
        """ + TheirCases + ") ORDER BY recorded_at, message_key";
    private const string TaxesSql = """
        SELECT id AS Id, source_ref AS SourceRef, tax_kind AS TaxKind, fiscal_year AS FiscalYear, description AS Description,
               amount_due AS AmountDue, amount_paid AS AmountPaid, increases AS Increases, exported_on AS ExportedOn
        FROM tax_obligations WHERE citizen_id = @Id ORDER BY fiscal_year, tax_kind, source_ref
        """;
    private const string FinesSql = """
        SELECT id AS Id, source_ref AS SourceRef, report_number AS ReportNumber, handed_over_on AS HandedOverOn, legal_basis AS LegalBasis,
               fine_category AS FineCategory, amount_applied AS AmountApplied, legal_minimum AS LegalMinimum, amount_paid AS AmountPaid,
               paid_on AS PaidOn, exported_on AS ExportedOn
        FROM fines WHERE citizen_id = @Id ORDER BY handed_over_on, source_ref
        """;
    // The whole story: events naming them, events of their cases, and events of their calls (correlation = CallSid) that
    // name no other citizen (a phone shared in a family), read from the view that joins each event to its personal details.
    // The timeline's own row (Core/Timeline): the same columns every timeline page reads.
    private const string TimelineSql = "SELECT " + Timeline.TimelineRow.Columns + """

        FROM timeline
        WHERE citizen_id = @Id OR case_id IN (
        """ + TheirCases + ") OR (correlation IN (" + TheirCalls + ") AND citizen_id IS NULL) ORDER BY seq";
    private const string CallsSql = """
        SELECT call_sid AS CallSid, caller_number AS CallerNumber, language AS Language, status AS Status, outcome AS Outcome,
               started_at AS StartedAt, ended_at AS EndedAt, duration_seconds AS DurationSeconds
        FROM ivr_calls WHERE call_sid IN (
        """ + TheirCalls + ") AND (citizen_id IS NULL OR citizen_id = @Id) ORDER BY started_at, call_sid";
    private const string PhoneRequestsSql = """
        SELECT id AS Id, call_sid AS CallSid, kind AS Kind, reason AS Reason, caller_number AS CallerNumber, language AS Language,
               recording_url AS RecordingUrl, recording_seconds AS RecordingSeconds, created_at AS CreatedAt, handled_at AS HandledAt,
               handled_by AS HandledBy, note AS Note
        FROM phone_requests WHERE call_sid IN (
        """ + TheirCalls + ") AND (citizen_id IS NULL OR citizen_id = @Id) ORDER BY created_at, id";
    private const string NotificationsSql = """
        SELECT id AS Id, case_id AS CaseId, kind AS Kind, channel AS Channel, status AS Status, recipient AS Recipient,
               staff_username AS ToStaff, subject AS Subject, body AS Body, attachment_name AS AttachmentName, created_at AS CreatedAt, sent_at AS SentAt
        FROM notifications WHERE citizen_id = @Id OR case_id IN (
        """ + TheirCases + ") ORDER BY created_at, id";
    private const string ReadsSql = """
        SELECT id AS Id, at AS At, actor AS Actor, actor_role AS ActorRole, endpoint AS Endpoint, query AS Query
        FROM audit_log WHERE citizen_id = @Id ORDER BY id
        """;
    private const string RequestsSql = "SELECT " + DataSubjectRequestStore.Columns + " FROM data_subject_requests WHERE citizen_id = @Id ORDER BY registered_at, id";
    private const string ErasureSql = """
        SELECT citizen_id AS CitizenId, request_id AS RequestId, erased_at AS ErasedAt, erased_by AS ErasedBy, legal_basis AS LegalBasis, summary AS Summary
        FROM citizen_erasures WHERE citizen_id = @Id
        """;

    public static async Task<CitizenDataExport> ReadAsync(UnitOfWork uow, Guid requestId, Guid citizenId, string actor, DateTimeOffset now, string controller, CancellationToken ct)
    {
        var c = await uow.QuerySingleOrDefaultAsync<CitizenRow>(CitizenSql, new { Id = citizenId }, ct) ?? throw new NotFoundException("citizen", citizenId);
        var p = new { Id = citizenId, Cases = await CitizenCases.FindAsync(uow, citizenId, List(c.Phones), List(c.Emails), ct) };
        var locks = await uow.QueryAsync<LockRow>(LockSql, p, ct);
        var wrongPins = (await uow.QueryAsync<WrongPinRow>(WrongPinsSql, p, ct)).Select(w => new ExportPinFailure(Calendar.FromMs(w.At), w.CallSid)).ToList();
        var identity = new ExportIdentity(c.Id, c.IdType, c.NationalId, c.FirstName, c.LastName, c.DateOfBirth, c.Address, c.PreferredLanguage,
            List(c.Phones), List(c.Emails), c.PinIssued, Ms(c.PinIssuedAt), locks.Select(l => new ExportPhoneLock(l.CitizenId, Ms(l.LockedAt), Ms(l.UnlockedAt), l.UnlockedBy, wrongPins)).FirstOrDefault(),
            Calendar.FromMs(c.CreatedAt), Calendar.FromMs(c.UpdatedAt));

        var intake = (await uow.QueryAsync<IntakeRow>(IntakeSql, p, ct)).ToDictionary(r => r.CaseId);
        var documents = (await uow.QueryAsync<DocumentRow>(DocumentsSql, p, ct)).ToLookup(r => r.CaseId);
        var places = (await uow.QueryAsync<PlaceRow>(PlacesSql, p, ct)).ToDictionary(r => r.CaseId);
        var reports = (await uow.QueryAsync<MapReportRow>(MapReportsSql, p, ct)).ToDictionary(r => r.CaseId);
        var photos = (await uow.QueryAsync<PhotoRow>(PhotosSql, p, ct)).ToLookup(r => r.CaseId);
        var emails = (await uow.QueryAsync<EmailRow>(EmailsSql, p, ct)).ToLookup(r => r.CaseId);
        var cases = (await uow.QueryAsync<CaseRow>(CasesSql, p, ct)).Select(r => new ExportCase(
            r.Id, $"{r.Number}/{r.Year}", r.Register, r.Kind, r.Service, r.Status, r.Channel, r.YourPart, r.Subject, r.Description, r.PartyKind,
            r.OrganisationName, r.OrganisationCui, r.ContactName, r.ContactDetails, Calendar.FromMs(r.RegisteredAt), r.RegisteredOn,
            (int?)r.TermDays, (int?)r.ExtendedByDays, r.DueOn, r.AssignedDepartment, r.AssignedTo, r.ForwardedTo, r.Note,
            r.AnswerNumber is { } n ? $"{n}/{r.AnswerYear}" : null, r.AnswerText, r.AnswerLegalBasis, r.AnswerSignedBy, r.AnswerSentVia,
            Ms(r.AnswerSentAt), r.AnsweredOn, Ms(r.ClosedAt),
            intake.TryGetValue(r.Id, out var i) ? new ExportIntake(i.CaseId, i.RegisteredBy, i.OnBehalfOf, i.CallSid, i.AccessCodeIssued, Calendar.FromMs(i.CreatedAt)) : null,
            documents[r.Id].Select(d => new ExportDocument(d.Sha256, d.Name, d.Type, d.SizeBytes, d.AttachedBy, Calendar.FromMs(d.AttachedAt))).ToList(),
            places.TryGetValue(r.Id, out var pl) ? new ExportPlace(pl.CaseId, pl.Latitude, pl.Longitude, pl.Address) : null,
            reports.TryGetValue(r.Id, out var m) ? new ExportMapReport(m.CaseId, m.Source, m.DeviceId, m.AccountId, Parse(m.Answers), Parse(m.MediaLinks),
                m.OnPublicMap, Ms(m.HiddenAt), m.HiddenReason, Calendar.FromMs(m.CreatedAt)) : null,
            photos[r.Id].Select(ph => new ExportPhoto(ph.Id, (int)ph.Position, ph.Sha256, ph.Type, (int)ph.Width, (int)ph.Height, ph.SizeBytes,
                ph.OriginalType, Ms(ph.PublishedAt), Ms(ph.HiddenAt), ph.HiddenReason, Calendar.FromMs(ph.CreatedAt))).ToList(),
            emails[r.Id].Select(e => new ExportEmail(e.MessageKey, e.Direction, e.Outcome, e.Reason, Calendar.FromMs(e.RecordedAt))).ToList()
        )).ToList();

        var taxes = (await uow.QueryAsync<TaxRow>(TaxesSql, p, ct)).Select(t => new ExportTax(t.Id, t.SourceRef, t.TaxKind, (int)t.FiscalYear, t.Description,
            Lei(t.AmountDue), Lei(t.AmountPaid), t.Increases is { } inc ? Lei(inc) : null, t.ExportedOn)).ToList();
        var fines = (await uow.QueryAsync<FineRow>(FinesSql, p, ct)).Select(f => new ExportFine(f.Id, f.SourceRef, f.ReportNumber, f.HandedOverOn, f.LegalBasis,
            f.FineCategory, Lei(f.AmountApplied), Lei(f.LegalMinimum), Lei(f.AmountPaid), f.PaidOn, f.ExportedOn)).ToList();
        var timeline = (await uow.QueryAsync<Timeline.TimelineRow>(TimelineSql, p, ct)).Select(t => new ExportTimelineEvent(t.Seq, t.EventId, t.CaseId, t.Correlation,
            t.Channel, t.Kind, t.Actor, t.OnBehalfOf, Calendar.FromMs(t.OccurredAt), Calendar.FromMs(t.RecordedAt), t.Summary, Parse(t.Payload), t.Erased)).ToList();
        var calls = (await uow.QueryAsync<CallRow>(CallsSql, p, ct)).Select(k => new ExportPhoneCall(k.CallSid, k.CallerNumber, k.Language, k.Status, k.Outcome,
            Calendar.FromMs(k.StartedAt), Ms(k.EndedAt), (int?)k.DurationSeconds)).ToList();
        var phoneRequests = (await uow.QueryAsync<PhoneRequestRow>(PhoneRequestsSql, p, ct)).Select(q => new ExportPhoneRequest(q.Id, q.CallSid, q.Kind, q.Reason,
            q.CallerNumber, q.Language, q.RecordingUrl, (int?)q.RecordingSeconds, Calendar.FromMs(q.CreatedAt), Ms(q.HandledAt), q.HandledBy, q.Note)).ToList();
        var notifications = (await uow.QueryAsync<NotificationRow>(NotificationsSql, p, ct)).Select(n => new ExportNotification(n.Id, n.CaseId, n.Kind, n.Channel,
            n.Status, n.ToStaff is null ? n.Recipient : null, n.ToStaff, n.Subject, n.Body, n.AttachmentName, Calendar.FromMs(n.CreatedAt), Ms(n.SentAt))).ToList();
        var reads = (await uow.QueryAsync<ReadRow>(ReadsSql, p, ct)).Select(a => new ExportRead(a.Id, Calendar.FromMs(a.At), a.Actor, a.ActorRole, a.Endpoint, a.Query)).ToList();
        var requests = (await uow.QueryAsync<DataSubjectRequestStore.Row>(RequestsSql, p, ct)).Select(row => row.ToRequest()).Select(r => new ExportDataRequest(
            r.Id, r.Kind, r.Status, r.ReceivedOn, r.DueOn, r.ExtendedTo, r.ExtensionReason, r.Channel, r.RegisteredAt, r.CompletedAt, r.Outcome)).ToList();
        var erasure = await uow.QuerySingleOrDefaultAsync<ErasureRow>(ErasureSql, p, ct) is { } e
            ? new ExportErasure(e.CitizenId, e.RequestId, Calendar.FromMs(e.ErasedAt), e.ErasedBy, e.LegalBasis, e.Summary) : null;

        return new CitizenDataExport(CitizenDataExport.FormatName, requestId, citizenId, now, actor, controller,
            "GDPR art. 15 (right of access) and art. 20 (right to data portability)", Sources, LeftOut, identity, cases, taxes, fines, timeline,
            calls, phoneRequests, notifications, reads, requests, erasure);
    }

    private static DateTimeOffset? Ms(long? ms) => ms is { } v ? Calendar.FromMs(v) : null;

    /// <summary>Money is kept in bani (sql/sqlite/0004_revenue.sql) and shown in lei.</summary>
    private static decimal Lei(long bani) => bani / 100m;

    private static IReadOnlyList<string> List(string json)
    {
        try { return JsonSerializer.Deserialize<List<string>>(json) ?? []; }
        catch (JsonException) { return [json]; }
    }

    private static JsonElement Parse(string? json)
    {
        try
        {
            using var doc = JsonDocument.Parse(string.IsNullOrWhiteSpace(json) ? "{}" : json);
            return doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            return JsonSerializer.SerializeToElement(json);
        }
    }

    private sealed record CitizenRow
    {
        public Guid Id { get; init; }
        public string IdType { get; init; } = "";
        public string NationalId { get; init; } = "";
        public string FirstName { get; init; } = "";
        public string LastName { get; init; } = "";
        public DateOnly? DateOfBirth { get; init; }
        public string? Address { get; init; }
        public string PreferredLanguage { get; init; } = "ro";
        public string Phones { get; init; } = "[]";
        public string Emails { get; init; } = "[]";
        public long? PinIssuedAt { get; init; }
        public bool PinIssued { get; init; }
        public long CreatedAt { get; init; }
        public long UpdatedAt { get; init; }
        public long? ErasedAt { get; init; }
    }

    private sealed record LockRow
    {
        public Guid CitizenId { get; init; }
        public long? LockedAt { get; init; }
        public long? UnlockedAt { get; init; }
        public string? UnlockedBy { get; init; }
    }

    private sealed record WrongPinRow
    {
        public long At { get; init; }
        public string CallSid { get; init; } = "";
    }

    private sealed record CaseRow
    {
        public Guid Id { get; init; }
        public long Number { get; init; }
        public long Year { get; init; }
        public string Register { get; init; } = "";
        public string Kind { get; init; } = "";
        public string? Service { get; init; }
        public string Status { get; init; } = "";
        public string Channel { get; init; } = "";
        public string YourPart { get; init; } = "";
        public string Subject { get; init; } = "";
        public string? Description { get; init; }
        public string PartyKind { get; init; } = "";
        public string? OrganisationName { get; init; }
        public string? OrganisationCui { get; init; }
        public string? ContactName { get; init; }
        public string? ContactDetails { get; init; }
        public long RegisteredAt { get; init; }
        public DateOnly RegisteredOn { get; init; }
        public long? TermDays { get; init; }
        public long? ExtendedByDays { get; init; }
        public DateOnly? DueOn { get; init; }
        public string? AssignedDepartment { get; init; }
        public string? AssignedTo { get; init; }
        public string? ForwardedTo { get; init; }
        public string? Note { get; init; }
        public long? AnswerNumber { get; init; }
        public long? AnswerYear { get; init; }
        public string? AnswerText { get; init; }
        public string? AnswerLegalBasis { get; init; }
        public string? AnswerSignedBy { get; init; }
        public string? AnswerSentVia { get; init; }
        public long? AnswerSentAt { get; init; }
        public DateOnly? AnsweredOn { get; init; }
        public long? ClosedAt { get; init; }
    }

    private sealed record IntakeRow
    {
        public Guid CaseId { get; init; }
        public string RegisteredBy { get; init; } = "";
        public string? OnBehalfOf { get; init; }
        public string? CallSid { get; init; }
        public bool AccessCodeIssued { get; init; }
        public long CreatedAt { get; init; }
    }

    private sealed record DocumentRow
    {
        public Guid CaseId { get; init; }
        public string Sha256 { get; init; } = "";
        public string? Name { get; init; }
        public string Type { get; init; } = "";
        public long SizeBytes { get; init; }
        public string AttachedBy { get; init; } = "";
        public long AttachedAt { get; init; }
    }

    private sealed record PlaceRow
    {
        public Guid CaseId { get; init; }
        public double? Latitude { get; init; }
        public double? Longitude { get; init; }
        public string? Address { get; init; }
    }

    private sealed record MapReportRow
    {
        public Guid CaseId { get; init; }
        public string Source { get; init; } = "";
        public string? DeviceId { get; init; }
        public string? AccountId { get; init; }
        public string Answers { get; init; } = "{}";
        public string MediaLinks { get; init; } = "[]";
        public bool OnPublicMap { get; init; }
        public long? HiddenAt { get; init; }
        public string? HiddenReason { get; init; }
        public long CreatedAt { get; init; }
    }

    private sealed record PhotoRow
    {
        public Guid Id { get; init; }
        public Guid CaseId { get; init; }
        public long Position { get; init; }
        public string Sha256 { get; init; } = "";
        public string Type { get; init; } = "";
        public long Width { get; init; }
        public long Height { get; init; }
        public long SizeBytes { get; init; }
        public string OriginalType { get; init; } = "";
        public long? PublishedAt { get; init; }
        public long? HiddenAt { get; init; }
        public string? HiddenReason { get; init; }
        public long CreatedAt { get; init; }
    }

    private sealed record EmailRow
    {
        public Guid CaseId { get; init; }
        public string MessageKey { get; init; } = "";
        public string Direction { get; init; } = "";
        public string Outcome { get; init; } = "";
        public string? Reason { get; init; }
        public long RecordedAt { get; init; }
    }

    private sealed record TaxRow
    {
        public Guid Id { get; init; }
        public string SourceRef { get; init; } = "";
        public string TaxKind { get; init; } = "";
        public long FiscalYear { get; init; }
        public string Description { get; init; } = "";
        public long AmountDue { get; init; }
        public long AmountPaid { get; init; }
        public long? Increases { get; init; }
        public DateOnly ExportedOn { get; init; }
    }

    private sealed record FineRow
    {
        public Guid Id { get; init; }
        public string SourceRef { get; init; } = "";
        public string ReportNumber { get; init; } = "";
        public DateOnly HandedOverOn { get; init; }
        public string LegalBasis { get; init; } = "";
        public string FineCategory { get; init; } = "";
        public long AmountApplied { get; init; }
        public long LegalMinimum { get; init; }
        public long AmountPaid { get; init; }
        public DateOnly? PaidOn { get; init; }
        public DateOnly ExportedOn { get; init; }
    }

    private sealed record CallRow
    {
        public string CallSid { get; init; } = "";
        public string? CallerNumber { get; init; }
        public string Language { get; init; } = "";
        public string Status { get; init; } = "";
        public string Outcome { get; init; } = "";
        public long StartedAt { get; init; }
        public long? EndedAt { get; init; }
        public long? DurationSeconds { get; init; }
    }

    private sealed record PhoneRequestRow
    {
        public Guid Id { get; init; }
        public string CallSid { get; init; } = "";
        public string Kind { get; init; } = "";
        public string Reason { get; init; } = "";
        public string? CallerNumber { get; init; }
        public string Language { get; init; } = "";
        public string? RecordingUrl { get; init; }
        public long? RecordingSeconds { get; init; }
        public long CreatedAt { get; init; }
        public long? HandledAt { get; init; }
        public string? HandledBy { get; init; }
        public string? Note { get; init; }
    }

    private sealed record NotificationRow
    {
        public Guid Id { get; init; }
        public Guid? CaseId { get; init; }
        public string Kind { get; init; } = "";
        public string Channel { get; init; } = "";
        public string Status { get; init; } = "";
        public string Recipient { get; init; } = "";
        public string? ToStaff { get; init; }
        public string? Subject { get; init; }
        public string Body { get; init; } = "";
        public string? AttachmentName { get; init; }
        public long CreatedAt { get; init; }
        public long? SentAt { get; init; }
    }

    private sealed record ReadRow
    {
        public long Id { get; init; }
        public long At { get; init; }
        public string Actor { get; init; } = "";
        public string ActorRole { get; init; } = "";
        public string Endpoint { get; init; } = "";
        public string Query { get; init; } = "";
    }

    private sealed record ErasureRow
    {
        public Guid CitizenId { get; init; }
        public Guid? RequestId { get; init; }
        public long ErasedAt { get; init; }
        public string ErasedBy { get; init; } = "";
        public string LegalBasis { get; init; } = "";
        public string Summary { get; init; } = "";
    }
}
