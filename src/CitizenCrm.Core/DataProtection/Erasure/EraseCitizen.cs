using System.Text.Json.Serialization;
using CitizenCrm.Core.Citizens;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Phone;
using CitizenCrm.Core.Revenue;
using CitizenCrm.Core.Storage;
using CitizenCrm.Core.Timeline;
using Mediator;
using Microsoft.Extensions.Options;

namespace CitizenCrm.Core.DataProtection.Erasure;

/// <summary>How many rows the erasure removed or anonymised, per kind of record (no personal data).</summary>
public sealed record ErasureCounts(
    int CasesAnonymised,
    int TimelineDetailsErased,
    int DocumentsRemoved,
    int PhotosRemoved,
    int NotificationsAnonymised,
    int NotificationsWithdrawn,
    int PhoneCallsRemoved,
    int PhoneRequestsRemoved,
    int PhoneLockoutRowsRemoved,
    int TaxObligationsAnonymised,
    int MailMessagesAnonymised,
    int StoredAnswersRemoved,
    int SearchEntriesRemoved)
{
    public override string ToString() =>
        $"cases anonymised {CasesAnonymised}, timeline details erased {TimelineDetailsErased}, documents removed {DocumentsRemoved}, " +
        $"photos removed {PhotosRemoved}, notifications anonymised {NotificationsAnonymised}, unsent notifications withdrawn {NotificationsWithdrawn}, " +
        $"phone calls removed {PhoneCallsRemoved}, phone requests removed {PhoneRequestsRemoved}, phone lockout rows removed {PhoneLockoutRowsRemoved}, " +
        $"tax obligations anonymised {TaxObligationsAnonymised}, e-mail records anonymised {MailMessagesAnonymised}, " +
        $"stored answers removed {StoredAnswersRemoved}, search entries removed {SearchEntriesRemoved}";
}

public sealed record CitizenErased(Guid RequestId, Guid CitizenId, DateTimeOffset ErasedAt, string ErasedBy, string LegalBasis, ErasureCounts Counts)
{
    /// <summary>Document and photo files the erased rows named: removed after the commit, each unless another row still names it.</summary>
    [JsonIgnore] public IReadOnlyList<string> DocumentFiles { get; init; } = [];
    [JsonIgnore] public IReadOnlyList<string> PhotoFiles { get; init; } = [];
}

/// <summary>
/// Erases a citizen's personal data on an open erasure request (GDPR art. 17), where the law allows it: not while one of
/// their matters is still open, nor while they owe taxes or fines. Registry entries and fiscal records stay, anonymised;
/// everything else personal goes; the erasure is recorded and cannot be undone. <see cref="ErasurePlan"/> lists per table.
/// </summary>
public sealed record EraseCitizen(Guid RequestId, string? LegalBasis) : ICommand<CitizenErased>, IValidatable
{
    public const int MaxLegalBasis = 300;

    public void Validate(Validation v)
    {
        if (v.Required("legalBasis", LegalBasis, "The legal basis of the erasure (e.g. \"GDPR art. 17(1)(a): no longer necessary\")"))
            v.MaxLength("legalBasis", LegalBasis, MaxLegalBasis, "The legal basis");
    }
}

public sealed class EraseCitizenHandler(UnitOfWork uow, Timeline.Timeline timeline, PhonePinHasher hasher, RequestContext context,
    TimeProvider clock, IOptions<RevenueOptions> revenue) : ICommandHandler<EraseCitizen, CitizenErased>
{
    public const string ErasedText = "[erased]";

    private const string LoadCitizen = """
        SELECT id_type AS IdType, national_id AS NationalId, phones AS Phones, emails AS Emails, erased_at AS ErasedAt
        FROM citizens WHERE id = @Id
        """;
    private const string SearchPhones = "SELECT phone FROM citizen_phones WHERE citizen_id = @Id";
    private const string SearchEmails = "SELECT email FROM citizen_emails WHERE citizen_id = @Id";

    private const string OpenCases = """
        SELECT number || '/' || year FROM cases WHERE id IN @Cases AND status IN ('registered', 'assigned', 'in_progress')
        ORDER BY year, number
        """;
    private const string Calls = """
        SELECT call_sid FROM ivr_calls WHERE citizen_id = @Id OR caller_number IN @Phones
        UNION SELECT call_sid FROM phone_requests WHERE citizen_id = @Id OR caller_number IN @Phones
        UNION SELECT call_sid FROM case_intake WHERE case_id IN @Cases AND call_sid IS NOT NULL
        """;

    private const string DeleteDetails = """
        DELETE FROM timeline_details WHERE seq IN (
            SELECT seq FROM timeline_events WHERE citizen_id = @Id
            UNION SELECT seq FROM timeline_events WHERE case_id IN @Cases
            UNION SELECT seq FROM timeline_events WHERE correlation IN @Calls)
        """;

    private const string AnonymiseCases = $"""
        UPDATE cases SET subject = '{ErasedText}', description = NULL, contact_name = NULL, contact_details = NULL, note = NULL,
               answer_text = NULL, answer_document = NULL, updated_at = @Now, version = version + 1
        WHERE id IN @Cases
        """;
    private const string AnonymiseIntake = "UPDATE case_intake SET on_behalf_of = NULL, access_code_hash = NULL WHERE case_id IN @Cases";
    private const string AnonymiseLocations = "UPDATE case_locations SET address_string = NULL, address_id = NULL WHERE case_id IN @Cases";
    private const string AnonymiseMapReports = """
        UPDATE map_reports SET device_id = NULL, account_id = NULL, attributes = '{}', media_links = '[]' WHERE case_id IN @Cases
        """;
    private const string DocumentFiles = "SELECT DISTINCT sha256 FROM case_documents WHERE case_id IN @Cases";
    private const string PhotoFiles = "SELECT sha256 FROM case_photos WHERE case_id IN @Cases UNION SELECT thumbnail_sha256 FROM case_photos WHERE case_id IN @Cases";
    private const string DeleteDocuments = "DELETE FROM case_documents WHERE case_id IN @Cases";
    private const string DeletePhotos = "DELETE FROM case_photos WHERE case_id IN @Cases";

    // Messages to the citizen: to them by id, to one of their addresses, or to the party of one of their cases. A staff
    // member's notice about their case (an escalation) keeps its staff recipient and loses the text naming the matter.
    private const string ToTheCitizen = """
        (citizen_id = @Id OR LOWER(recipient) IN @Contacts OR (case_id IN @Cases AND staff_username IS NULL))
        """;
    private const string WithdrawUnsent = "DELETE FROM notifications WHERE status = 'pending' AND " + ToTheCitizen;
    private const string AnonymiseNotifications = $"""
        UPDATE notifications SET recipient = '{ErasedText}', recipient_name = NULL, subject = NULL, body = '{ErasedText}',
               attachment_sha256 = NULL, attachment_name = NULL
        WHERE {ToTheCitizen}
        """;
    private const string AnonymiseStaffNotices = $"""
        UPDATE notifications SET subject = NULL, body = '{ErasedText}', attachment_sha256 = NULL, attachment_name = NULL
        WHERE case_id IN @Cases AND staff_username IS NOT NULL
        """;
    private const string AnonymiseMail = "UPDATE mail_messages SET reason = NULL WHERE reason IS NOT NULL AND case_id IN @Cases";
    private const string AnonymiseMailNaming = "UPDATE mail_messages SET reason = NULL WHERE reason IS NOT NULL AND LOWER(reason) LIKE @Pattern ESCAPE '\\'";

    private const string DeleteCalls = "DELETE FROM ivr_calls WHERE call_sid IN @Calls";
    private const string DeletePhoneRequests = "DELETE FROM phone_requests WHERE call_sid IN @Calls";
    private const string DeletePinFailures = "DELETE FROM phone_pin_failures WHERE cnp_key = @CnpKey";
    private const string DeleteLocks = "DELETE FROM phone_access_locks WHERE cnp_key = @CnpKey OR citizen_id = @Id";

    private const string AnonymiseTaxes = $"UPDATE tax_obligations SET description = '{ErasedText}', updated_at = @Now WHERE citizen_id = @Id";
    private const string DeleteStoredAnswers = "DELETE FROM idempotency_keys WHERE LOWER(response_json) LIKE @Pattern ESCAPE '\\'";

    private const string DeletePhones = "DELETE FROM citizen_phones WHERE citizen_id = @Id";
    private const string DeleteEmails = "DELETE FROM citizen_emails WHERE citizen_id = @Id";
    private const string DeleteNameTokens = "DELETE FROM citizen_name_tokens WHERE citizen_id = @Id";
    // The row stays (cases and the ledger point at it); its national id becomes its own id: unique, and no one's CNP.
    private const string AnonymiseCitizen = """
        UPDATE citizens SET id_type = 'erased', national_id = @NationalId, first_name = 'Erased', last_name = 'citizen',
               date_of_birth = NULL, address = NULL, phones = '[]', emails = '[]', pin_hash = NULL, pin_issued_at = NULL,
               erased_at = @Now, updated_at = @Now, version = version + 1
        WHERE id = @Id AND erased_at IS NULL
        """;
    private const string RecordErasure = """
        INSERT INTO citizen_erasures (citizen_id, request_id, erased_at, erased_by, legal_basis, summary)
        VALUES (@Id, @RequestId, @Now, @Actor, @LegalBasis, @Summary)
        """;

    private sealed record CitizenRow(string IdType, string NationalId, string Phones, string Emails, long? ErasedAt);

    public async ValueTask<CitizenErased> Handle(EraseCitizen command, CancellationToken ct)
    {
        var request = await DataSubjectRequestStore.LoadAsync(uow, command.RequestId, ct);
        if (request.Kind != DataSubjectRequestKinds.Erasure)
            throw new ConflictException($"Data-subject request {request.Id} is a request of kind '{request.Kind}', not an erasure request. " +
                "Register the citizen's erasure request first, then erase on that request.", "Not an erasure request");
        if (request.Status != DataSubjectRequestStatuses.Open)
            throw new ConflictException($"Data-subject request {request.Id} is {request.Status} already; nothing more is done on it. " +
                "If the citizen asks again, register a new request.", "Request not open");

        var id = request.CitizenId;
        var citizen = await uow.QuerySingleOrDefaultAsync<CitizenRow>(LoadCitizen, new { Id = id }, ct)
            ?? throw new NotFoundException("citizen", id);
        if (citizen.ErasedAt is { } erasedAt)
            throw ErasedCitizens.AlreadyErased(erasedAt);

        var phones = (Json.Deserialize<string[]>(citizen.Phones) ?? [])
            .Concat(await uow.QueryAsync<string>(SearchPhones, new { Id = id }, ct)).Distinct(StringComparer.Ordinal).ToList();
        var emails = (Json.Deserialize<string[]>(citizen.Emails) ?? [])
            .Concat(await uow.QueryAsync<string>(SearchEmails, new { Id = id }, ct))
            .Select(e => e.Trim().ToLowerInvariant()).Distinct(StringComparer.Ordinal).ToList();
        var contacts = phones.Concat(emails).ToList();

        var cases = await CitizenCases.FindAsync(uow, id, phones, emails, ct);
        var open = await uow.QueryAsync<string>(OpenCases, new { Cases = cases }, ct);
        if (open.Count > 0)
            throw new ConflictException(
                $"The citizen's {(open.Count == 1 ? "case" : "cases")} {string.Join(", ", open)} {(open.Count == 1 ? "is" : "are")} still open. " +
                "The law keeps the record while the matter runs (OG 27/2002 on petitions, Law 544/2001 on public information): " +
                "answer, file or close them first, then erase.", "Open cases");
        await RefuseWhileDebtsAreOwedAsync(id, ct);

        var now = clock.GetUtcNow();
        var nowMs = now.ToUnixTimeMilliseconds();
        var calls = await uow.QueryAsync<string>(Calls, new { Id = id, Phones = phones, Cases = cases }, ct);
        var byCase = new { Cases = cases };

        // The personal content of the citizen's events, of their cases' events and of their calls' events. The event rows stay.
        var details = await uow.ExecuteAsync(DeleteDetails, new { Id = id, Cases = cases, Calls = calls }, ct);

        var documentFiles = await uow.QueryAsync<string>(DocumentFiles, byCase, ct);
        var photoFiles = await uow.QueryAsync<string>(PhotoFiles, byCase, ct);
        var documents = await uow.ExecuteAsync(DeleteDocuments, byCase, ct);
        var photos = await uow.ExecuteAsync(DeletePhotos, byCase, ct);
        var casesAnonymised = await uow.ExecuteAsync(AnonymiseCases, new { Cases = cases, Now = nowMs }, ct);
        await uow.ExecuteAsync(AnonymiseIntake, byCase, ct);
        await uow.ExecuteAsync(AnonymiseLocations, byCase, ct);
        await uow.ExecuteAsync(AnonymiseMapReports, byCase, ct);

        var withdrawn = await uow.ExecuteAsync(WithdrawUnsent, new { Id = id, Contacts = contacts, Cases = cases }, ct);
        var notifications = await uow.ExecuteAsync(AnonymiseNotifications, new { Id = id, Contacts = contacts, Cases = cases }, ct)
            + await uow.ExecuteAsync(AnonymiseStaffNotices, byCase, ct);
        var mail = await uow.ExecuteAsync(AnonymiseMail, byCase, ct);
        foreach (var email in emails)
            mail += await uow.ExecuteAsync(AnonymiseMailNaming, new { Pattern = "%" + EscapeLike(email) + "%" }, ct);

        var phoneRequests = await uow.ExecuteAsync(DeletePhoneRequests, new { Calls = calls }, ct);
        var phoneCalls = await uow.ExecuteAsync(DeleteCalls, new { Calls = calls }, ct);
        var lockout = 0;
        if (citizen.IdType == IdTypes.Cnp)
            lockout += await uow.ExecuteAsync(DeletePinFailures, new { CnpKey = LookUpCallerCnpHandler.CnpKey(hasher, citizen.NationalId) }, ct);
        lockout += await uow.ExecuteAsync(DeleteLocks, new
        {
            Id = id, CnpKey = citizen.IdType == IdTypes.Cnp ? LookUpCallerCnpHandler.CnpKey(hasher, citizen.NationalId) : "",
        }, ct);

        var taxes = await uow.ExecuteAsync(AnonymiseTaxes, new { Id = id, Now = nowMs }, ct);

        // Stored answers of commands replayed on a retry (idempotency keys) that name the citizen, their cases or their
        // contacts. JSON escapes '+' and letters outside ASCII, so phones are looked for by their digits, names not at all
        // (every answer that holds a name also holds the citizen's or the case's id).
        var needles = new List<string> { id.ToString("D"), citizen.NationalId };
        needles.AddRange(cases.Select(c => c.ToString("D")));
        needles.AddRange(phones.Select(p => p.TrimStart('+')).Where(p => p.Length >= 6));
        needles.AddRange(emails);
        var storedAnswers = 0;
        foreach (var needle in needles.Distinct(StringComparer.Ordinal))
            storedAnswers += await uow.ExecuteAsync(DeleteStoredAnswers, new { Pattern = "%" + EscapeLike(needle) + "%" }, ct);

        var search = await uow.ExecuteAsync(DeletePhones, new { Id = id }, ct)
            + await uow.ExecuteAsync(DeleteEmails, new { Id = id }, ct)
            + await uow.ExecuteAsync(DeleteNameTokens, new { Id = id }, ct);
        if (await uow.ExecuteAsync(AnonymiseCitizen, new { Id = id, NationalId = id.ToString("N"), Now = nowMs }, ct) == 0)
            throw new ConflictException("This citizen was erased meanwhile by someone else; reload the request.", "Already erased");

        var counts = new ErasureCounts(casesAnonymised, details, documents, photos, notifications, withdrawn, phoneCalls, phoneRequests,
            lockout, taxes, mail, storedAnswers, search);
        var legalBasis = command.LegalBasis!.Trim();
        await uow.ExecuteAsync(RecordErasure, new
        {
            Id = id, command.RequestId, Now = nowMs, context.Actor, LegalBasis = legalBasis, Summary = counts.ToString(),
        }, ct);
        // Appended after the details were deleted, so this one stays readable on the erased citizen's timeline.
        await timeline.AppendAsync(new TimelineEntry
        {
            Kind = "citizen.erased",
            Channel = Channels.Desk,
            CitizenId = id,
            Summary = "Personal data erased on request (GDPR art. 17); registry entries and fiscal records kept, anonymised",
            Payload = new { command.RequestId, LegalBasis = legalBasis, Counts = counts },
            Facts = new { command.RequestId },
        }, ct);
        await DataSubjectRequestStore.FinishAsync(uow, command.RequestId, DataSubjectRequestStatuses.Completed,
            Truncate($"Erased under {legalBasis}: {counts}.", 1000), context.Actor, now, ct);

        return new CitizenErased(command.RequestId, id, now, context.Actor, legalBasis, counts)
        {
            DocumentFiles = documentFiles, PhotoFiles = photoFiles,
        };
    }

    /// <summary>
    /// Law 207/2015 (Fiscal Procedure Code) keeps the fiscal record while a claim is owed: unpaid taxes (principal or late
    /// increases) or fines. The revenue module's own reckoning decides (a fine settled by half the minimum counts as paid).
    /// </summary>
    private async Task RefuseWhileDebtsAreOwedAsync(Guid citizenId, CancellationToken ct)
    {
        var today = Calendar.Today(clock);
        var taxes = await new GetTaxBalanceHandler(uow, clock, revenue).Handle(new GetTaxBalance(citizenId, today), ct);
        var fines = await new GetUnpaidFinesHandler(uow, clock).Handle(new GetUnpaidFines(citizenId, today), ct);
        var owedTaxes = taxes.Obligations.Where(o => o.Outstanding + o.LateIncrease > 0).ToList();
        if (owedTaxes.Count == 0 && fines.Count == 0) return;
        var what = new List<string>();
        if (owedTaxes.Count > 0)
            what.Add($"{owedTaxes.Count} unpaid local {(owedTaxes.Count == 1 ? "tax" : "taxes")} (years {string.Join(", ", owedTaxes.Select(o => o.FiscalYear).Distinct().Order())})");
        if (fines.Count > 0)
            what.Add($"{fines.Count} unpaid {(fines.Count == 1 ? "fine" : "fines")} (reports {string.Join(", ", fines.Fines.Select(f => f.ReportNumber))})");
        throw new ConflictException(
            $"The citizen owes {string.Join(" and ", what)}. The fiscal record must stay while a debt is owed " +
            "(Law 207/2015, Fiscal Procedure Code): erase after payment.", "Debts owed");
    }

    /// <summary>A value matched literally inside LIKE ... ESCAPE '\' (an e-mail's '_' is not a wildcard).</summary>
    private static string EscapeLike(string s) => s.ToLowerInvariant()
        .Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..(max - 1)] + "…";
}
