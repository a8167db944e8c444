using System.Text.Json;
using System.Text.RegularExpressions;
using CitizenCrm.Core.Cases;
using CitizenCrm.Core.Storage;
using MimeKit;
using PhoneNumbers;

namespace CitizenCrm.Core.Notifications;

/// <summary>
/// Writes notifications to the outbox (the notifications table) inside the calling command's transaction, so a
/// notice exists exactly when the change it announces was committed: a rolled-back registration leaves no
/// acknowledgement, and a committed one always has its acknowledgement waiting for the sender job. The text is
/// rendered here, from the template in force at the time of the event, in the recipient's language.
/// </summary>
public sealed partial class Outbox(UnitOfWork uow, TimeProvider clock, Common.RequestContext context)
{
    /// <summary>
    /// The demo city's generator acts as this actor. Its citizens have made-up but well-formed Romanian mobile numbers:
    /// on a server with a real Twilio account their acknowledgements would text strangers. Demo registrations queue nothing.
    /// </summary>
    public const string DemoActor = "demo-city";

    private const string CitizenReach = "SELECT first_name AS FirstName, last_name AS LastName, preferred_language AS Language, emails AS Emails, phones AS Phones FROM citizens WHERE id = @Id";
    private const string Template = "SELECT subject AS Subject, body AS Body, sms AS Sms FROM notification_templates WHERE kind = @Kind AND language = @Language";
    private const string DocumentType = "SELECT content_type AS ContentType, file_name AS FileName FROM case_documents WHERE case_id = @CaseId AND sha256 = @Sha256";
    // The assignee, and the supervisors of the case's department, each once, who have an e-mail and an active account.
    private const string StaffToWarn = """
        SELECT username AS Username, display_name AS Name, email AS Email FROM staff_users
        WHERE disabled = 0 AND email IS NOT NULL AND email <> ''
          AND (username = @AssignedTo OR (role = 'supervisor' AND department IS NOT NULL AND department = @Department))
        ORDER BY username
        """;
    private const string Insert = """
        INSERT INTO notifications (id, kind, channel, status, case_id, citizen_id, created_at, attempts, recipient, recipient_name,
                                   staff_username, language, subject, body, attachment_sha256, attachment_name, attachment_type, next_attempt_at)
        VALUES (@Id, @Kind, @Channel, 'pending', @CaseId, @CitizenId, @Now, 0, @Recipient, @RecipientName,
                @StaffUsername, @Language, @Subject, @Body, @AttachmentSha256, @AttachmentName, @AttachmentType, @Now)
        """;

    private sealed record CitizenRow
    {
        public string FirstName { get; init; } = "";
        public string LastName { get; init; } = "";
        public string Language { get; init; } = "ro";
        // Hungarian writes the family name first (Kovács Anna); Romanian and English letters address "Anna Kovács".
        public string NameIn(string language) => language == "hu" ? $"{LastName} {FirstName}" : $"{FirstName} {LastName}";
        public string Emails { get; init; } = "[]";
        public string Phones { get; init; } = "[]";
    }

    private sealed record TemplateTexts
    {
        public string Subject { get; init; } = "";
        public string Body { get; init; } = "";
        public string? Sms { get; init; }
    }

    private sealed record StaffRow
    {
        public string Username { get; init; } = "";
        public string Name { get; init; } = "";
        public string Email { get; init; } = "";
    }

    private sealed record DocumentRow
    {
        public string ContentType { get; init; } = "";
        public string? FileName { get; init; }
    }

    /// <summary>How the party of a case can be reached electronically, or null.</summary>
    internal sealed record Reach(string Channel, string Address, string Language, string Name, Guid? CitizenId);

    /// <summary>
    /// Queues a notice to the case's party about <paramref name="kind"/>, when the party can be reached: a citizen by their
    /// first e-mail address, else by SMS to their first mobile number; a contact by an e-mail address found in the
    /// contact details. An organisation (no address on file) or an anonymous petitioner gets nothing. Returns the id, or null.
    /// </summary>
    internal async Task<Guid?> ForPartyAsync(string kind, CaseRow c, CancellationToken ct, string? reason = null)
    {
        if (context.Actor == DemoActor) return null;
        var reach = await ReachAsync(c, ct);
        if (reach is null) return null;
        if (reach.Channel == NotificationChannels.Sms && !NotificationKinds.MayGoBySms(kind)) return null;
        var values = new Dictionary<string, string>
        {
            ["number"] = c.RegistrationNumber,
            ["date"] = TemplateText.Date(c.RegisteredOn, reach.Language),
            ["term"] = TemplateText.Date(c.DueOn, reach.Language),
            ["subject"] = c.Subject,
            ["name"] = reach.Name,
            ["forwarded_to"] = c.ForwardedTo ?? "",
            ["reason"] = reason ?? "",
            ["outgoing_number"] = c.AnswerNumber is { } n ? $"{n}/{c.AnswerYear}" : "",
            ["answer"] = c.AnswerText ?? "",
            ["legal_basis"] = c.AnswerLegalBasis ?? "",
            ["signed_by"] = c.AnswerSignedBy ?? "",
        };
        string? attachment = null, attachmentName = null, attachmentType = null;
        if (kind == NotificationKinds.Answer && c.AnswerDocument is { } sha)
        {
            var document = await uow.QuerySingleOrDefaultAsync<DocumentRow>(DocumentType, new { CaseId = c.Id, Sha256 = sha }, ct);
            if (document is not null)
            {
                attachment = sha;
                attachmentType = document.ContentType;
                attachmentName = AttachmentName(document.FileName, c, document.ContentType);
            }
        }
        return await InsertAsync(kind, reach, c.Id, values, attachment, attachmentName, attachmentType, null, ct);
    }

    /// <summary>
    /// Queues the due-soon notice to the case's assignee and the supervisors of its department (those with an e-mail on
    /// their staff account), in Romanian, the working language of the city hall's staff. Returns how many were queued.
    /// </summary>
    internal async Task<int> ForStaffAsync(string kind, CaseRow c, CancellationToken ct)
    {
        if (context.Actor == DemoActor) return 0;
        var staff = await uow.QueryAsync<StaffRow>(StaffToWarn, new { c.AssignedTo, Department = c.AssignedDepartment }, ct);
        foreach (var s in staff)
        {
            var values = new Dictionary<string, string>
            {
                ["number"] = c.RegistrationNumber,
                ["subject"] = c.Subject,
                ["term"] = TemplateText.Date(c.DueOn, "ro"),
                ["assignee"] = c.AssignedTo ?? "nerepartizat",
                ["department"] = c.AssignedDepartment ?? "fără compartiment",
            };
            await InsertAsync(kind, new Reach(NotificationChannels.Email, s.Email, "ro", s.Name, null), c.Id, values, null, null, null, s.Username, ct);
        }
        return staff.Count;
    }

    /// <summary>
    /// Queues a notice with values the caller composed, to a reach it found (<see cref="ReachAsync"/>): the map's status
    /// notices go to the reporters of merged reports too, about the case that stays (Map/ReporterNotices).
    /// </summary>
    internal async Task<Guid?> ToReachAsync(string kind, Reach reach, Guid caseId, IReadOnlyDictionary<string, string> values, CancellationToken ct) =>
        context.Actor == DemoActor ? null : await InsertAsync(kind, reach, caseId, values, null, null, null, null, ct);

    private async Task<Guid> InsertAsync(string kind, Reach reach, Guid? caseId, IReadOnlyDictionary<string, string> values,
        string? attachment, string? attachmentName, string? attachmentType, string? staffUsername, CancellationToken ct)
    {
        var template = await uow.QuerySingleOrDefaultAsync<TemplateTexts>(Template, new { Kind = kind, reach.Language }, ct)
            ?? await uow.QuerySingleAsync<TemplateTexts>(Template, new { Kind = kind, Language = "ro" }, ct);
        var sms = reach.Channel == NotificationChannels.Sms;
        var id = Guid.NewGuid();
        await uow.ExecuteAsync(Insert, new
        {
            Id = id, Kind = kind, reach.Channel, CaseId = caseId, reach.CitizenId, Now = clock.GetUtcNow().ToUnixTimeMilliseconds(),
            Recipient = reach.Address, RecipientName = reach.Name, StaffUsername = staffUsername, reach.Language,
            Subject = sms ? null : OneLine(TemplateText.Render(template.Subject, values)),
            Body = TemplateText.Render(sms ? template.Sms ?? template.Subject : template.Body, values),
            AttachmentSha256 = attachment, AttachmentName = attachmentName, AttachmentType = attachmentType,
        }, ct);
        return id;
    }

    /// <summary>
    /// Queues a notice about no case to a citizen (a data-subject request's extended term: DataProtection/Requests), by
    /// their first e-mail address, else by SMS to their first mobile number, with values composed for the language the
    /// citizen reads. Returns the channel and id, or null when the citizen has neither (they are then told by post).
    /// </summary>
    internal async Task<(string Channel, Guid Id)?> ForCitizenAsync(string kind, Guid citizenId,
        Func<string, string, IReadOnlyDictionary<string, string>> valuesForLanguageAndName, CancellationToken ct)
    {
        if (context.Actor == DemoActor) return null;
        var citizen = await uow.QuerySingleOrDefaultAsync<CitizenRow>(CitizenReach, new { Id = citizenId }, ct);
        if (citizen is null) return null;
        var language = Citizens.Languages.All.Contains(citizen.Language) ? citizen.Language : "ro";
        Reach? reach = FirstOf(citizen.Emails).FirstOrDefault(IsEmail) is { } email
            ? new Reach(NotificationChannels.Email, email, language, citizen.NameIn(language), citizenId)
            : FirstOf(citizen.Phones).FirstOrDefault(IsMobile) is { } mobile && NotificationKinds.MayGoBySms(kind)
                ? new Reach(NotificationChannels.Sms, mobile, language, citizen.NameIn(language), citizenId)
                : null;
        if (reach is null) return null;
        var id = await InsertAsync(kind, reach, null, valuesForLanguageAndName(language, reach.Name), null, null, null, null, ct);
        return (reach.Channel, id);
    }

    internal async Task<Reach?> ReachAsync(CaseRow c, CancellationToken ct)
    {
        if (c.PartyKind == PartyKinds.Citizen && c.CitizenId is { } citizenId)
        {
            var citizen = await uow.QuerySingleOrDefaultAsync<CitizenRow>(CitizenReach, new { Id = citizenId }, ct);
            if (citizen is null) return null;
            var language = Citizens.Languages.All.Contains(citizen.Language) ? citizen.Language : "ro";
            if (FirstOf(citizen.Emails).FirstOrDefault(IsEmail) is { } email)
                return new Reach(NotificationChannels.Email, email, language, citizen.NameIn(language), citizenId);
            if (FirstOf(citizen.Phones).FirstOrDefault(IsMobile) is { } mobile)
                return new Reach(NotificationChannels.Sms, mobile, language, citizen.NameIn(language), citizenId);
            return null;
        }
        if (c.PartyKind == PartyKinds.Contact && c.ContactDetails is { } details && EmailIn(details) is { } address)
            return new Reach(NotificationChannels.Email, address, "ro", c.ContactName ?? "", null);
        return null;
    }

    /// <summary>
    /// The citizen's address on this channel as the record holds it now, for a notice sent again after the desk corrected
    /// it; null when the record has none (the notice then keeps the address it was written for).
    /// </summary>
    internal async Task<string?> CurrentAddressAsync(Guid citizenId, string channel, CancellationToken ct)
    {
        var citizen = await uow.QuerySingleOrDefaultAsync<CitizenRow>(CitizenReach, new { Id = citizenId }, ct);
        if (citizen is null) return null;
        return channel == NotificationChannels.Sms
            ? FirstOf(citizen.Phones).FirstOrDefault(IsMobile)
            : FirstOf(citizen.Emails).FirstOrDefault(IsEmail);
    }

    private static IEnumerable<string> FirstOf(string json)
    {
        try { return JsonSerializer.Deserialize<List<string>>(json) ?? []; }
        catch (JsonException) { return []; }
    }

    private static bool IsEmail(string s) => MailboxAddress.TryParse(s, out var m) && m.Address.Contains('@', StringComparison.Ordinal);

    /// <summary>Only a mobile number takes an SMS: a landline would swallow it (Twilio accepts it, the phone never rings).</summary>
    internal static bool IsMobile(string phone)
    {
        try
        {
            var util = PhoneNumberUtil.GetInstance();
            var type = util.GetNumberType(util.Parse(phone, "RO"));
            return type is PhoneNumberType.MOBILE or PhoneNumberType.FIXED_LINE_OR_MOBILE;
        }
        catch (NumberParseException) { return false; }
    }

    [GeneratedRegex(@"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")]
    private static partial Regex EmailPattern();

    /// <summary>The first e-mail address written anywhere in free-text contact details ("Str. Lungă 3, ana@x.ro, 0745...").</summary>
    internal static string? EmailIn(string details) => EmailPattern().Match(details) is { Success: true } m && IsEmail(m.Value) ? m.Value : null;

    private static string OneLine(string s) => s.ReplaceLineEndings(" ").Trim() is var t && t.Length > 400 ? t[..400] : t;

    private static string AttachmentName(string? fileName, CaseRow c, string contentType)
    {
        if (!string.IsNullOrWhiteSpace(fileName)) return fileName;
        var extension = contentType switch
        {
            DocumentStore.Pdf => ".pdf", DocumentStore.Png => ".png", DocumentStore.Jpeg => ".jpg",
            DocumentStore.Docx => ".docx", DocumentStore.Odt => ".odt", _ => "",
        };
        return $"raspuns-{c.Number}-{c.Year}{extension}";
    }
}
