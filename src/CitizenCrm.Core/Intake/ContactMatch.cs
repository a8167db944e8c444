using CitizenCrm.Core.Cases;
using CitizenCrm.Core.Citizens;
using CitizenCrm.Core.Storage;

namespace CitizenCrm.Core.Intake;

/// <summary>
/// Who sent a request from outside (the web form, the map): the citizen whose e-mail or phone it gives, when exactly one
/// citizen has them; otherwise the contact as given. None, or several (a shared family e-mail, a number that moved on):
/// the contact, unmatched, for a dispatcher to link; a guess could put one person's request on another's file.
/// </summary>
internal static class ContactMatch
{
    private const string ByEmail = "SELECT citizen_id FROM citizen_emails WHERE email = @Email";
    private const string ByPhone = "SELECT citizen_id FROM citizen_phones WHERE phone = @Phone";

    public static async Task<(Guid? Citizen, ContactParty? Contact)> ResolveAsync(
        UnitOfWork uow, string? name, string? email, string? phone, string nameWhenNone, string detailsWhenNone, CancellationToken ct)
    {
        var address = string.IsNullOrWhiteSpace(email) ? null : email.Trim().ToLowerInvariant();
        var number = PhoneNumber.ToE164(phone);
        var matches = new HashSet<Guid>();
        if (address is not null) matches.UnionWith(await uow.QueryAsync<Guid>(ByEmail, new { Email = address }, ct));
        if (number is not null) matches.UnionWith(await uow.QueryAsync<Guid>(ByPhone, new { Phone = number }, ct));
        if (matches.Count == 1) return (matches.Single(), null);
        var details = string.Join(", ", new[] { address, number }.OfType<string>());
        return (null, new ContactParty(string.IsNullOrWhiteSpace(name) ? nameWhenNone : name.Trim(), details.Length > 0 ? details : detailsWhenNone));
    }
}
