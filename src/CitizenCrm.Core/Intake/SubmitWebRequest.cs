using System.Net.Mail;
using System.Security.Cryptography;
using System.Text.Json.Serialization;
using CitizenCrm.Core.Cases;
using CitizenCrm.Core.Citizens;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Pipeline;
using CitizenCrm.Core.Storage;
using CitizenCrm.Core.Timeline;
using Mediator;
using Microsoft.Extensions.Logging;

namespace CitizenCrm.Core.Intake;

/// <summary>A file sent with a web request, already checked in memory (type, size, magic bytes) by the DocumentStore.</summary>
public sealed record WebAttachment(DocumentUpload Upload, string? FileName);

/// <summary>
/// What the citizen takes away from the web form: the number, the date, the term and the private access code
/// (shown this once; only its keyed hash is kept). No name, e-mail or phone: the answer may be cached or shown.
/// </summary>
public sealed record WebRequestReceipt(
    string RegistrationNumber, int Year, int Number, string Kind, DateOnly RegisteredOn, DateOnly? DueOn,
    string AccessCode, int Attachments, string StatusUrl);

/// <summary>
/// A petition, a public-information request (Law 544/2001) or a service request sent through the city hall's web form,
/// without a staff login. The sender is matched to a citizen by e-mail or phone when exactly one citizen has them;
/// otherwise the case's party is the contact as given, left unmatched for a dispatcher to link. A filled honeypot field
/// (<see cref="Website"/>, hidden from people) marks a bot: it is answered as if accepted and nothing is registered.
/// </summary>
public sealed record SubmitWebRequest(
    string? Kind,
    string? Name,
    string? Email,
    string? Phone,
    string? Service,
    string? Subject,
    string? Text,
    string? Website,
    [property: JsonIgnore] IReadOnlyList<WebAttachment>? Attachments = null) : ICommand<WebRequestReceipt>, IValidatable, INotReplayable
{
    public const int MaxAttachments = 5;

    [JsonIgnore]
    public bool IsBot => !string.IsNullOrEmpty(Website);

    public void Validate(Validation v)
    {
        // A bot is told nothing, not even what it got wrong: it is answered as if its request were accepted.
        if (IsBot) return;
        if (v.Required("kind", Kind, "The kind of request (petition, information_request or service_request)") && !CaseKinds.All.Contains(Kind!))
            v.Add("kind", "The kind of request must be petition, information_request or service_request.");
        if (v.Required("name", Name, "Your name")) v.MaxLength("name", Name, 200, "Your name");
        if (string.IsNullOrWhiteSpace(Email) && string.IsNullOrWhiteSpace(Phone))
            v.Add("email", "Give an e-mail address or a phone number (or both), so that the city hall can answer you.");
        if (!string.IsNullOrWhiteSpace(Email) && (Email.Trim().Length > 254 || !MailAddress.TryCreate(Email.Trim(), out var mail) || mail.Address != Email.Trim()))
            v.Add("email", $"'{Email.Trim()}' is not an e-mail address.");
        if (!string.IsNullOrWhiteSpace(Phone) && PhoneNumber.ToE164(Phone) is null)
            v.Add("phone", "This is not a phone number we can call. Write it as +40722123456 or 0722 123 456.");
        if (v.Required("subject", Subject, "The subject")) v.MaxLength("subject", Subject, 300, "The subject");
        v.MaxLength("text", Text, 20_000, "The text");
        if (Kind == CaseKinds.ServiceRequest)
        {
            if (v.Required("service", Service, "The service you ask for (a code from GET /api/catalogue/services)"))
                v.MaxLength("service", Service, 40, "The service");
        }
        else if (Kind is not null && CaseKinds.All.Contains(Kind) && !string.IsNullOrWhiteSpace(Service))
            v.Add("service", "Only a service request names a service; leave it out for a petition or an information request.");
        if (Attachments is { Count: > MaxAttachments })
            v.Add("attachments", $"Send at most {MaxAttachments} attachments with one request.");
    }
}

public sealed class SubmitWebRequestHandler(
    UnitOfWork uow, CaseIntake intake, AttachCaseDocumentHandler attach, PhonePinHasher hasher, DeadlineCalendar calendar,
    RequestContext context, TimeProvider clock, ILogger<SubmitWebRequestHandler> logger)
    : ICommandHandler<SubmitWebRequest, WebRequestReceipt>
{
    private const string SetAccessCode = "UPDATE case_intake SET access_code_hash = @Hash WHERE case_id = @CaseId";

    public async ValueTask<WebRequestReceipt> Handle(SubmitWebRequest command, CancellationToken ct)
    {
        if (command.IsBot) return await DecoyAsync(command, ct);

        var (citizen, contact) = await ContactMatch.ResolveAsync(uow, command.Name, command.Email, command.Phone, "", "", ct);

        var c = await intake.RegisterAsync(new RegisterCase(
            command.Kind, Channels.Web, command.Subject, command.Text, citizen, null, contact,
            Service: command.Kind == CaseKinds.ServiceRequest ? command.Service : null), new IntakeDetails(context.Actor), ct);

        var code = AccessCodes.New();
        await uow.ExecuteAsync(SetAccessCode, new { Hash = AccessCodes.Hash(hasher, c.Id, code), CaseId = c.Id }, ct);
        var attachments = command.Attachments ?? [];
        foreach (var a in attachments)
            await attach.Handle(new AttachCaseDocument(c.Id, a.Upload, a.FileName), ct);
        return new WebRequestReceipt(c.RegistrationNumber, c.Year, c.Number, c.Kind, c.RegisteredOn, c.DueOn, code, attachments.Count,
            $"/api/public/requests/{c.Year}/{c.Number}");
    }

    /// <summary>The answer a bot gets: shaped like a real one, with a number nobody holds and a code that opens nothing.</summary>
    private async Task<WebRequestReceipt> DecoyAsync(SubmitWebRequest command, CancellationToken ct)
    {
        logger.LogInformation("A web request filled the hidden honeypot field: answered as accepted, nothing registered");
        var today = Calendar.Today(clock);
        var kind = command.Kind is not null && CaseKinds.All.Contains(command.Kind) ? command.Kind : CaseKinds.Petition;
        var due = await calendar.DueOnAsync(today, kind == CaseKinds.InformationRequest ? Deadlines.InformationDays : Deadlines.PetitionDays, ct);
        var number = RandomNumberGenerator.GetInt32(1, 10_000);
        return new WebRequestReceipt($"{number}/{today.Year}", today.Year, number, kind, today, due, AccessCodes.New(),
            command.Attachments?.Count ?? 0, $"/api/public/requests/{today.Year}/{number}");
    }
}
