using CitizenCrm.Core.Cases;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Storage;
using Mediator;

namespace CitizenCrm.Core.DataProtection.Rectification;

/// <summary>
/// A clerk corrects the name or contact details of a case's contact party, a person who is not a registered citizen
/// (GDPR art. 16): the answer must reach them. In any status, since the register keeps the case after it closes.
/// A citizen's details are corrected on the citizen (UpdateCitizen), an organisation's are not personal data.
/// </summary>
public sealed record CorrectCaseContact(Guid CaseId, string? Name, string? Details, int? Version = null) : ICommand<CaseDetails>, IValidatable
{
    public void Validate(Validation v)
    {
        if (v.Required("name", Name, "The contact's name")) v.MaxLength("name", Name, 200, "The contact's name");
        if (v.Required("details", Details, "How to reach the contact (an address, an e-mail or a phone)"))
            v.MaxLength("details", Details, 300, "The contact details");
    }
}

public sealed class CorrectCaseContactHandler(UnitOfWork uow, Timeline.Timeline timeline, TimeProvider clock)
    : ICommandHandler<CorrectCaseContact, CaseDetails>
{
    private const string Update = """
        UPDATE cases SET contact_name = @Name, contact_details = @Details, updated_at = @Now, version = version + 1
        WHERE id = @Id AND version = @Version
        """;

    public async ValueTask<CaseDetails> Handle(CorrectCaseContact command, CancellationToken ct)
    {
        var c = await CaseStore.LoadAsync(uow, command.CaseId, ct);
        if (c.PartyKind != PartyKinds.Contact)
            throw new ConflictException(c.PartyKind == PartyKinds.Citizen
                    ? $"Case {c.RegistrationNumber} was raised by a registered citizen: correct the citizen's record (PUT /api/citizens/{c.CitizenId}) instead."
                    : $"Case {c.RegistrationNumber} has no contact party ({c.PartyKind}): there is no contact to correct.",
                "No contact party");
        if (command.Version is { } expected && expected != c.Version)
            throw new ConflictException($"Someone else changed this case meanwhile (version {c.Version}, you edited version {expected}). Reload and apply your change again.",
                "Changed by someone else");

        var name = command.Name!.Trim();
        var details = command.Details!.Trim();
        var fields = new List<string>();
        if (name != c.ContactName) fields.Add("contact_name");
        if (details != c.ContactDetails) fields.Add("contact_details");
        var today = Calendar.Today(clock);
        if (fields.Count == 0) return c.ToDetails(today);

        await CaseStore.UpdateAsync(uow, Update, new
        {
            c.Id, c.Version, Name = name, Details = details, Now = clock.GetUtcNow().ToUnixTimeMilliseconds(),
        }, ct);
        // The summary names the fields, never their values: the new name and details are on the case, audited when read.
        var what = string.Join(" and ", fields.Select(f => f == "contact_name" ? "name" : "contact details"));
        await CaseStore.RecordAsync(timeline, c, "case.contact_corrected",
            $"{CaseStore.KindName(c.Kind)} {c.RegistrationNumber}: the contact's {what} corrected", new { Fields = fields }, ct);
        return (await CaseStore.LoadAsync(uow, c.Id, ct)).ToDetails(today);
    }
}
