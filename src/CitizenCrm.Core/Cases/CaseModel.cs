using System.Text.Json.Serialization;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Pipeline;

namespace CitizenCrm.Core.Cases;

public static class CaseKinds
{
    public const string Petition = "petition", InformationRequest = "information_request", ServiceRequest = "service_request";
    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Petition, InformationRequest, ServiceRequest };

    public static string Romanian(string kind) => kind switch
    {
        Petition => "Petiție",
        InformationRequest => "Cerere de informații de interes public (Legea 544/2001)",
        _ => "Cerere",
    };
}

public static class CaseStatuses
{
    public const string Registered = "registered", Assigned = "assigned", InProgress = "in_progress", Answered = "answered",
        Closed = "closed", Forwarded = "forwarded", Joined = "joined", Filed = "filed", Rejected = "rejected";

    /// <summary>Statuses in which the statutory term runs and the city hall still owes an answer.</summary>
    public static readonly IReadOnlySet<string> Open = new HashSet<string>(StringComparer.Ordinal) { Registered, Assigned, InProgress };

    public const string OpenSql = "('registered', 'assigned', 'in_progress')";
}

public static class PartyKinds
{
    public const string Citizen = "citizen", Organisation = "organisation", Contact = "contact", Anonymous = "anonymous";
}

/// <summary>How an answer or a notice reached the party.</summary>
public static class SendingMethods
{
    public const string Email = "email", Post = "post", InPerson = "in_person";
    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Email, Post, InPerson };

    public static string Romanian(string method) => method switch { Email => "e-mail", Post => "poștă", _ => "înmânare personală" };
}

/// <summary>Who raised the matter: a citizen, an organisation, an unidentified contact, or nobody known (anonymous).</summary>
public sealed record CaseParty(string Kind, Guid? CitizenId, string DisplayName, string? OrganisationCui, string? ContactDetails)
{
    /// <summary>A contact party's phone (or a CNP typed into the details) masked; the rest of the details kept.</summary>
    public CaseParty Masked() => this with { ContactDetails = DataProtection.Masking.PersonalNumbers.InText(ContactDetails) };
}

public sealed record CaseAnswer(
    string Text, string LegalBasis, string SignedBy, string SentVia, DateTimeOffset SentAt, DateOnly AnsweredOn,
    string OutgoingNumber, string? DocumentSha256);

/// <summary>A case as the registry desk sees it, with its deadline as of today.</summary>
public sealed record CaseDetails(
    Guid Id,
    string RegistrationNumber,
    string Register,
    int Number,
    int Year,
    string Kind,
    string? Category,
    string Status,
    string Channel,
    string Subject,
    string? Description,
    CaseParty Party,
    DateTimeOffset RegisteredAt,
    DateOnly RegisteredOn,
    int? TermDays,
    int? ExtendedByDays,
    DateOnly? DueOn,
    int? DaysLeft,
    bool Late,
    DateOnly? ForwardBy,
    DateOnly? RefuseBy,
    string? AssignedDepartment,
    string? AssignedTo,
    string? ForwardedTo,
    Guid? JoinedToCaseId,
    Guid? RelatedCaseId,
    string? Note,
    CaseAnswer? Answer,
    int Version) : ICitizenDataResult, DataProtection.Masking.IMaskable<CaseDetails>
{
    [JsonIgnore]
    public IEnumerable<Guid> CitizensShown => Party.CitizenId is { } id ? [id] : [];

    public CaseDetails Masked() => this with { Party = Party.Masked() };
}

/// <summary>The cases row as stored. Dates are Bucharest calendar dates; instants UTC milliseconds.</summary>
internal sealed record CaseRow
{
    public const string Columns = """
        c.id AS Id, c.register_code AS RegisterCode, c.number AS Number, c.year AS Year, c.kind AS Kind,
        c.category_code AS CategoryCode, c.status AS Status, c.channel AS Channel, c.subject AS Subject,
        c.description AS Description, c.party_kind AS PartyKind, c.citizen_id AS CitizenId,
        c.organisation_name AS OrganisationName, c.organisation_cui AS OrganisationCui, c.contact_name AS ContactName,
        c.contact_details AS ContactDetails, c.registered_at AS RegisteredAt, c.registered_on AS RegisteredOn,
        c.term_days AS TermDays, c.extended_by_days AS ExtendedByDays, c.due_on AS DueOn,
        c.assigned_department AS AssignedDepartment, c.assigned_to AS AssignedTo, c.forwarded_to AS ForwardedTo,
        c.joined_to_case_id AS JoinedToCaseId, c.related_case_id AS RelatedCaseId, c.note AS Note,
        c.answer_text AS AnswerText, c.answer_legal_basis AS AnswerLegalBasis, c.answer_signed_by AS AnswerSignedBy,
        c.answer_sent_via AS AnswerSentVia, c.answer_sent_at AS AnswerSentAt, c.answered_on AS AnsweredOn,
        c.answer_register AS AnswerRegister, c.answer_number AS AnswerNumber, c.answer_year AS AnswerYear,
        c.answer_document AS AnswerDocument, c.version AS Version,
        ci.first_name AS CitizenFirstName, ci.last_name AS CitizenLastName
        """;

    /// <summary>FROM clause joining the citizen for the party's name.</summary>
    public const string From = " FROM cases c LEFT JOIN citizens ci ON ci.id = c.citizen_id ";

    public Guid Id { get; init; }
    public string RegisterCode { get; init; } = "";
    public long Number { get; init; }
    public long Year { get; init; }
    public string Kind { get; init; } = "";
    public string? CategoryCode { get; init; }
    public string Status { get; init; } = "";
    public string Channel { get; init; } = "";
    public string Subject { get; init; } = "";
    public string? Description { get; init; }
    public string PartyKind { get; init; } = "";
    public Guid? CitizenId { get; init; }
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
    public Guid? JoinedToCaseId { get; init; }
    public Guid? RelatedCaseId { get; init; }
    public string? Note { get; init; }
    public string? AnswerText { get; init; }
    public string? AnswerLegalBasis { get; init; }
    public string? AnswerSignedBy { get; init; }
    public string? AnswerSentVia { get; init; }
    public long? AnswerSentAt { get; init; }
    public DateOnly? AnsweredOn { get; init; }
    public string? AnswerRegister { get; init; }
    public long? AnswerNumber { get; init; }
    public long? AnswerYear { get; init; }
    public string? AnswerDocument { get; init; }
    public long Version { get; init; }
    public string? CitizenFirstName { get; init; }
    public string? CitizenLastName { get; init; }

    public string RegistrationNumber => $"{Number}/{Year}";
    public bool IsOpen => CaseStatuses.Open.Contains(Status);

    public string PartyName => PartyKind switch
    {
        PartyKinds.Citizen => $"{CitizenFirstName} {CitizenLastName}".Trim(),
        PartyKinds.Organisation => OrganisationName ?? "",
        PartyKinds.Contact => ContactName ?? "",
        _ => "Anonim",
    };

    public CaseParty Party => new(PartyKind, CitizenId, PartyName, OrganisationCui, ContactDetails);

    /// <summary>
    /// The deadline as the party sees it today. Open cases count down; an answered case keeps its due date and is
    /// late if answered after it; closed, forwarded, joined, filed and rejected cases have no running term.
    /// </summary>
    public (DateOnly? DueOn, int? DaysLeft, bool Late) Deadline(DateOnly today)
    {
        if (DueOn is not { } due) return (null, null, false);
        if (IsOpen) return (due, due.DayNumber - today.DayNumber, today > due);
        if (Status == CaseStatuses.Answered) return (due, null, AnsweredOn is { } on && on > due);
        return (null, null, false);
    }

    public CaseStatusView ToStatusView(DateOnly today)
    {
        var (due, left, late) = Deadline(today);
        return new CaseStatusView(Id, RegistrationNumber, (int)Number, (int)Year, Kind, Status, Subject, RegisteredOn, due, left, late, AnsweredOn);
    }

    public CaseDetails ToDetails(DateOnly today)
    {
        var (due, left, late) = Deadline(today);
        var answer = AnswerText is null ? null : new CaseAnswer(AnswerText, AnswerLegalBasis ?? "", AnswerSignedBy ?? "", AnswerSentVia ?? "",
            Calendar.FromMs(AnswerSentAt ?? 0), AnsweredOn ?? RegisteredOn, $"{AnswerNumber}/{AnswerYear}", AnswerDocument);
        return new CaseDetails(Id, RegistrationNumber, RegisterCode, (int)Number, (int)Year, Kind, CategoryCode, Status, Channel,
            Subject, Description, Party, Calendar.FromMs(RegisteredAt), RegisteredOn, (int?)TermDays, (int?)ExtendedByDays,
            due, left, late,
            Kind == CaseKinds.Petition && IsOpen ? Deadlines.ForwardBy(RegisteredOn) : null,
            Kind == CaseKinds.InformationRequest && IsOpen ? Deadlines.RefuseBy(RegisteredOn) : null,
            AssignedDepartment, AssignedTo, ForwardedTo, JoinedToCaseId, RelatedCaseId, Note, answer, (int)Version);
    }
}
