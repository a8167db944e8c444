using CitizenCrm.Core.Catalogue;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.DataProtection.Erasure;
using CitizenCrm.Core.Storage;
using CitizenCrm.Core.Timeline;
using Mediator;

namespace CitizenCrm.Core.Cases;

public sealed record OrganisationParty(string? Name, string? Cui);

public sealed record ContactParty(string? Name, string? Details);

/// <summary>
/// The registry desk registers a petition, a public-information request or a service request, from any channel,
/// for exactly one party: a citizen, an organisation (name and CUI) or an unidentified contact; a petition may also
/// come with no identification at all (anonymous), and is then filed away (OG 27/2002 art. 7).
/// A matter raised again after its case was closed is a new registration with RelatedCaseId pointing at the old one.
/// </summary>
public sealed record RegisterCase(
    string? Kind,
    string? Channel,
    string? Subject,
    string? Description,
    Guid? CitizenId,
    OrganisationParty? Organisation,
    ContactParty? Contact,
    bool Anonymous = false,
    string? Category = null,
    string? Register = null,
    bool WrittenAndConfirmed = false,
    Guid? RelatedCaseId = null,
    string? Service = null) : ICommand<CaseDetails>, IValidatable
{
    public string EffectiveChannel => Channel ?? Channels.Desk;

    /// <summary>The catalogue service a service request is for: `service` (issue 10) or the older `category`, the same codes.</summary>
    public string? EffectiveService => string.IsNullOrWhiteSpace(Service) ? Category : Service;

    public void Validate(Validation v)
    {
        if (v.Required("kind", Kind, "The kind (petition, information_request or service_request)") && !CaseKinds.All.Contains(Kind!))
            v.Add("kind", "The kind must be petition, information_request or service_request.");
        if (!Channels.All.Contains(EffectiveChannel))
            v.Add("channel", $"Unknown channel '{Channel}'. Use one of: {string.Join(", ", Channels.All)}.");
        if (v.Required("subject", Subject, "The subject")) v.MaxLength("subject", Subject, 300, "The subject");
        v.MaxLength("description", Description, 20_000, "The description");
        v.MaxLength("register", Register, 20, "The register");

        var parties = (CitizenId is not null ? 1 : 0) + (Organisation is not null ? 1 : 0) + (Contact is not null ? 1 : 0) + (Anonymous ? 1 : 0);
        if (parties == 0)
            v.Add("party", "Say who raised the matter: a citizen (citizenId), an organisation (organisation.name and organisation.cui), " +
                           "a contact (contact.name and contact.details), or mark an anonymous petition (anonymous: true).");
        else if (parties > 1)
            v.Add("party", "Give only one party: a citizen, an organisation, a contact, or anonymous.");
        if (Organisation is not null)
        {
            if (v.Required("organisation.name", Organisation.Name, "The organisation's name")) v.MaxLength("organisation.name", Organisation.Name, 200, "The organisation's name");
            if (v.Required("organisation.cui", Organisation.Cui, "The organisation's fiscal code (CUI)") && Cui.Problem(Organisation.Cui) is { } problem)
                v.Add("organisation.cui", problem);
        }
        if (Contact is not null)
        {
            if (v.Required("contact.name", Contact.Name, "The contact's name")) v.MaxLength("contact.name", Contact.Name, 200, "The contact's name");
            if (v.Required("contact.details", Contact.Details, "How to reach the contact (an address, an e-mail or a phone)"))
                v.MaxLength("contact.details", Contact.Details, 300, "The contact details");
        }
        if (Anonymous && Kind is not null && Kind != CaseKinds.Petition)
            v.Add("anonymous", "Only a petition can be anonymous (it is then filed away, OG 27/2002 art. 7). An information request or a service request needs a name and a contact for the answer.");

        // OG 27/2002 art. 2: a petition is written or e-mailed. What a caller says starts no 30-day term until it is
        // written down and confirmed by the caller; until then it is a service request.
        if (Kind == CaseKinds.Petition && EffectiveChannel is Channels.Phone or Channels.Ivr && !WrittenAndConfirmed)
            v.Add("writtenAndConfirmed", "A petition voiced on the phone counts only once it is written down and the caller has confirmed it " +
                                         "(OG 27/2002 art. 2). Set writtenAndConfirmed if that was done, or register it as a service request.");
        if (Kind == CaseKinds.ServiceRequest)
        {
            if (!string.IsNullOrWhiteSpace(Service) && !string.IsNullOrWhiteSpace(Category) &&
                !string.Equals(Service.Trim(), Category.Trim(), StringComparison.OrdinalIgnoreCase))
                v.Add("service", "Give the service once: service and category name the same thing and differ here.");
            else v.Required(string.IsNullOrWhiteSpace(Service) ? "category" : "service", EffectiveService, "The service request's service (a catalogue code, as service or category)");
            v.MaxLength("service", Service, 40, "The service");
            v.MaxLength("category", Category, 40, "The category");
        }
        else if (Kind is not null && (Category is not null || Service is not null))
            v.Add(Category is not null ? "category" : "service", "Only service requests are for a catalogue service (category).");
    }
}

public sealed class RegisterCaseHandler(UnitOfWork uow, Timeline.Timeline timeline, TimeProvider clock, DeadlineCalendar calendar,
    Notifications.Outbox outbox)
    : ICommandHandler<RegisterCase, CaseDetails>
{
    private const string RegisterExists = "SELECT COUNT(*) FROM registers WHERE code = @Code";
    private const string RegisterCodes = "SELECT code FROM registers ORDER BY code";
    private const string CitizenName = "SELECT first_name || ' ' || last_name FROM citizens WHERE id = @Id";
    private const string CategoryTerms = "SELECT processing_days AS ProcessingDays, channels AS Channels FROM service_categories WHERE code = @Code AND active = 1";
    private const string CategoryCodes = "SELECT code FROM service_categories WHERE active = 1 ORDER BY code";
    private const string CaseExists = "SELECT COUNT(*) FROM cases WHERE id = @Id";
    private const string Insert = """
        INSERT INTO cases (id, register_code, number, year, kind, category_code, status, channel, subject, description,
                           party_kind, citizen_id, organisation_name, organisation_cui, contact_name, contact_details,
                           written_confirmed, registered_at, registered_on, term_days, due_on, related_case_id, note,
                           updated_at, version)
        VALUES (@Id, @Register, @Number, @Year, @Kind, @Category, @Status, @Channel, @Subject, @Description,
                @PartyKind, @CitizenId, @OrganisationName, @OrganisationCui, @ContactName, @ContactDetails,
                @WrittenConfirmed, @Now, @RegisteredOn, @TermDays, @DueOn, @RelatedCaseId, @Note,
                @Now, 1)
        """;

    private sealed record CatalogueTerms
    {
        public long ProcessingDays { get; init; }
        public string Channels { get; init; } = "";
    }

    public async ValueTask<CaseDetails> Handle(RegisterCase command, CancellationToken ct)
    {
        var register = string.IsNullOrWhiteSpace(command.Register) ? "general" : command.Register.Trim().ToLowerInvariant();
        if (await uow.ExecuteScalarAsync<long>(RegisterExists, new { Code = register }, ct) == 0)
            throw ValidationFailedException.For("register", $"There is no register '{register}'. Registers: {string.Join(", ", await uow.QueryAsync<string>(RegisterCodes, null, ct))}.");

        string? citizenName = null;
        if (command.CitizenId is { } citizenId &&
            (citizenName = await uow.ExecuteScalarAsync<string>(CitizenName, new { Id = citizenId }, ct)) is null)
            throw ValidationFailedException.For("citizenId", "No citizen with this id is registered. Register the citizen first, or record the party as a contact.");
        if (command.CitizenId is { } partyId) await ErasedCitizens.ThrowIfErasedAsync(uow, partyId, ct);

        int? termDays = command.Kind switch
        {
            CaseKinds.Petition => command.Anonymous ? null : Deadlines.PetitionDays,
            CaseKinds.InformationRequest => Deadlines.InformationDays,
            _ => null,
        };
        string? category = null;
        if (command.Kind == CaseKinds.ServiceRequest)
        {
            category = command.EffectiveService!.Trim().ToLowerInvariant();
            var field = string.IsNullOrWhiteSpace(command.Service) ? "category" : "service";
            var service = await uow.QuerySingleOrDefaultAsync<CatalogueTerms>(CategoryTerms, new { Code = category }, ct)
                ?? throw ValidationFailedException.For(field, $"There is no service '{category}' in the catalogue. Services: {string.Join(", ", await uow.QueryAsync<string>(CategoryCodes, null, ct))}.");
            // The catalogue says how each service may be asked for (a civil marriage only in person, at the desk).
            var accepts = ServiceChannels.Split(service.Channels);
            if (!accepts.Contains(ServiceChannels.ForCase(command.EffectiveChannel)))
                throw ValidationFailedException.For("channel",
                    $"The service '{category}' cannot be requested by {command.EffectiveChannel}; it accepts: {string.Join(", ", accepts)}.");
            termDays = (int)service.ProcessingDays;
        }
        if (command.RelatedCaseId is { } related && await uow.ExecuteScalarAsync<long>(CaseExists, new { Id = related }, ct) == 0)
            throw ValidationFailedException.For("relatedCaseId", "There is no earlier case with this id to link the new registration to.");

        var now = clock.GetUtcNow();
        var registeredOn = Calendar.LocalDate(now); // the Bucharest date: 00:30 local on 1 January is already the new year
        var number = await RegistrationNumbers.NextAsync(uow, register, registeredOn.Year, ct);
        DateOnly? dueOn = termDays is { } t ? await calendar.DueOnAsync(registeredOn, t, ct) : null;
        var partyKind = command.CitizenId is not null ? PartyKinds.Citizen
            : command.Organisation is not null ? PartyKinds.Organisation
            : command.Contact is not null ? PartyKinds.Contact
            : PartyKinds.Anonymous;
        var id = Guid.NewGuid();
        await uow.ExecuteAsync(Insert, new
        {
            Id = id,
            Register = register,
            Number = number,
            Year = registeredOn.Year,
            command.Kind,
            Category = category,
            Status = partyKind == PartyKinds.Anonymous ? CaseStatuses.Filed : CaseStatuses.Registered,
            Channel = command.EffectiveChannel,
            Subject = command.Subject!.Trim(),
            Description = string.IsNullOrWhiteSpace(command.Description) ? null : command.Description.Trim(),
            PartyKind = partyKind,
            command.CitizenId,
            OrganisationName = command.Organisation?.Name?.Trim(),
            OrganisationCui = Cui.Normalize(command.Organisation?.Cui),
            ContactName = command.Contact?.Name?.Trim(),
            ContactDetails = command.Contact?.Details?.Trim(),
            WrittenConfirmed = Flag.Of(command.WrittenAndConfirmed),
            Now = now.ToUnixTimeMilliseconds(),
            RegisteredOn = registeredOn,
            TermDays = termDays,
            DueOn = dueOn,
            command.RelatedCaseId,
            Note = partyKind == PartyKinds.Anonymous ? "Petiție anonimă, clasată (OG 27/2002 art. 7)." : null,
        }, ct);

        var c = await CaseStore.LoadAsync(uow, id, ct);
        var party = partyKind switch
        {
            PartyKinds.Citizen => $"citizen {citizenName}",
            PartyKinds.Organisation => $"organisation {c.OrganisationName} (CUI {c.OrganisationCui})",
            PartyKinds.Contact => $"contact {c.ContactName}",
            _ => "no identified party",
        };
        var due = dueOn is { } d ? $", due {d:yyyy-MM-dd}" : "";
        var linked = command.RelatedCaseId is not null ? " (a matter raised again, linked to an earlier case)" : "";
        var filed = partyKind == PartyKinds.Anonymous ? " and filed away: anonymous, no identification data (OG 27/2002 art. 7)" : "";
        await CaseStore.RecordAsync(timeline, c, "case.registered",
            $"{CaseStore.KindName(c.Kind)} {c.RegistrationNumber} registered ({c.Channel}) for {party}{due}{linked}{filed}",
            new { number = c.RegistrationNumber, register, kind = c.Kind, category, subject = c.Subject, dueOn, relatedCaseId = command.RelatedCaseId,
                  writtenAndConfirmed = command.WrittenAndConfirmed, status = c.Status }, ct, c.Channel);
        // The acknowledgement (number, date, term), in this transaction, whatever the channel, when the party can be reached.
        await outbox.ForPartyAsync(Notifications.NotificationKinds.Acknowledgement, c, ct);
        return c.ToDetails(registeredOn);
    }
}
