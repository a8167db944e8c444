using System.Net.Mail;
using CitizenCrm.Core.Cases;
using CitizenCrm.Core.Citizens;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.DataProtection.Erasure;
using CitizenCrm.Core.Storage;
using Mediator;

namespace CitizenCrm.Core.Dispatch;

/// <summary>The citizen to register from an unmatched case: the ID the dispatcher checked, and the names and details.</summary>
public sealed record NewCitizen(string? IdType, string? NationalId, CitizenDetails? Details);

/// <summary>
/// An unmatched case (its party an unidentified contact: a web form or an e-mail nobody could match) is linked to the
/// citizen who sent it — an existing one (citizenId), or one registered now from the case's details (citizen), with
/// RegisterCitizen's own checks (CNP, duplicates). A citizen registered here gets the case's e-mail address or phone
/// number when the dispatcher gives none. The contact's name and details stay on the case as received.
/// Registering and linking are one transaction: both happen or neither.
/// </summary>
public sealed record LinkCaseToCitizen(Guid CaseId, Guid? CitizenId, NewCitizen? Citizen, int? Version = null)
    : ICommand<DispatchCaseResult>, IValidatable
{
    public void Validate(Validation v)
    {
        if (CitizenId is null == (Citizen is null))
        {
            v.Add("citizenId", "Give either the existing citizen (citizenId) or the citizen to register (citizen), not both.");
            return;
        }
        Citizen?.Register(null).Validate(v);
    }
}

internal static class NewCitizenExtensions
{
    public static RegisterCitizen Register(this NewCitizen c, string? channel) =>
        new(c.IdType, c.NationalId, c.Details, channel ?? Timeline.Channels.Desk);
}

public sealed class LinkCaseToCitizenHandler(UnitOfWork uow, Timeline.Timeline timeline, TimeProvider clock) : ICommandHandler<LinkCaseToCitizen, DispatchCaseResult>
{
    private const string CitizenName = "SELECT first_name AS FirstName, last_name AS LastName FROM citizens WHERE id = @Id";
    private const string Update = """
        UPDATE cases SET party_kind = 'citizen', citizen_id = @CitizenId, updated_at = @Now, version = version + 1
        WHERE id = @Id AND version = @Version AND party_kind = 'contact'
        """;

    private sealed record Name(string FirstName, string LastName);

    public async ValueTask<DispatchCaseResult> Handle(LinkCaseToCitizen command, CancellationToken ct)
    {
        var c = await CaseStore.LoadAsync(uow, command.CaseId, ct);
        if (c.PartyKind != PartyKinds.Contact)
            throw new ConflictException(c.PartyKind == PartyKinds.Citizen
                ? $"Case {c.RegistrationNumber} is already linked to a citizen ({c.PartyName})."
                : $"Case {c.RegistrationNumber} is not unmatched: its party is {(c.PartyKind == PartyKinds.Organisation ? "an organisation" : "anonymous")}.",
                "Not unmatched");
        DispatchCases.EnsureVersion(c, command.Version);

        Guid citizenId;
        var registered = false;
        if (command.CitizenId is { } existing)
        {
            var name = await uow.QuerySingleOrDefaultAsync<Name>(CitizenName, new { Id = existing }, ct)
                ?? throw ValidationFailedException.For("citizenId", "No citizen with this id is registered. Register the citizen from the case's details instead (citizen).");
            await ErasedCitizens.ThrowIfErasedAsync(uow, existing, ct);
            citizenId = existing;
        }
        else
        {
            // RegisterCitizen's handler, run here inside this transaction (a nested mediator send would store a second
            // idempotency row under the same key). Its checks run: the CNP's date, an ID already registered (409).
            var details = WithContactDetails(command.Citizen!.Details!, c.ContactDetails);
            var citizen = await new RegisterCitizenHandler(uow, timeline, clock)
                .Handle((command.Citizen with { Details = details }).Register(c.Channel), ct);
            citizenId = citizen.Id;
            registered = true;
        }

        await CaseStore.UpdateAsync(uow, Update, new { c.Id, c.Version, CitizenId = citizenId, Now = clock.GetUtcNow().ToUnixTimeMilliseconds() }, ct);
        var linked = await CaseStore.LoadAsync(uow, c.Id, ct);
        var recorded = await CaseStore.RecordAsync(timeline, linked, "case.linked_to_citizen",
            $"{CaseStore.KindName(c.Kind)} {c.RegistrationNumber} linked to citizen {linked.PartyName}{(registered ? " (registered from the case's details)" : "")}; it came from contact {c.ContactName}",
            new { citizenId, registered, contactName = c.ContactName }, ct);
        return await DispatchCases.ResultAsync(uow, c.Id, recorded.Seq, clock, ct);
    }

    /// <summary>The way the contact reached us becomes the citizen's, when it is an e-mail address or a phone number and none was given.</summary>
    private static CitizenDetails WithContactDetails(CitizenDetails d, string? contact)
    {
        if (string.IsNullOrWhiteSpace(contact)) return d;
        var text = contact.Trim();
        if ((d.Emails is null || d.Emails.Count == 0) && MailAddress.TryCreate(text, out var mail) && mail.Address == text)
            return d with { Emails = [text] };
        if ((d.Phones is null || d.Phones.Count == 0) && PhoneNumber.ToE164(text) is not null)
            return d with { Phones = [text] };
        return d;
    }
}
