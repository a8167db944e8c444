using System.Text.RegularExpressions;
using CitizenCrm.Core.Citizens;
using CitizenCrm.Core.Storage;

namespace CitizenCrm.Core.DataProtection;

/// <summary>
/// A citizen's cases, one answer for the export (GDPR art. 15) and the erasure (art. 17), so what a citizen is given and
/// what is erased never disagree:
/// - the cases where they are the party;
/// - the cases a volunteer or a mobile team registered on their behalf (case_intake.on_behalf_of_id);
/// - the cases of an unidentified contact who gave one of their phones or e-mails (a web form sent before they were
///   matched, a call a dispatcher logged for "Gheorghe B., 0766 111 222"). Contact details are kept as typed, so each is
///   read in C#: e-mails compared in lower case, phone numbers through libphonenumber in E.164, as the register holds them.
/// The contact cases are all read, once per export or erasure: they are the few the dispatchers have not linked yet, and
/// a typed number has no form an index could find.
/// </summary>
public static partial class CitizenCases
{
    private const string Own = "SELECT id FROM cases WHERE citizen_id = @Id UNION SELECT case_id FROM case_intake WHERE on_behalf_of_id = @Id";
    private const string Contacts = "SELECT id AS Id, contact_details AS Details FROM cases WHERE party_kind = 'contact' AND contact_details IS NOT NULL";

    private sealed record ContactRow
    {
        public Guid Id { get; init; }
        public string Details { get; init; } = "";
    }

    /// <param name="phones">The citizen's phones in E.164.</param>
    /// <param name="emails">The citizen's e-mail addresses.</param>
    public static async Task<IReadOnlyList<Guid>> FindAsync(UnitOfWork uow, Guid citizenId, IEnumerable<string> phones, IEnumerable<string> emails,
        CancellationToken ct)
    {
        var theirs = new HashSet<string>(phones.Concat(emails.Select(e => e.Trim().ToLowerInvariant())), StringComparer.Ordinal);
        var cases = new List<Guid>(await uow.QueryAsync<Guid>(Own, new { Id = citizenId }, ct));
        if (theirs.Count == 0) return cases;
        foreach (var contact in await uow.QueryAsync<ContactRow>(Contacts, null, ct))
            if (!cases.Contains(contact.Id) && ContactsIn(contact.Details).Any(theirs.Contains)) cases.Add(contact.Id);
        return cases;
    }

    /// <summary>The e-mails (lower case) and phone numbers (E.164) written in a contact's details, however typed.</summary>
    public static IEnumerable<string> ContactsIn(string details)
    {
        foreach (Match m in Email().Matches(details)) yield return m.Value.ToLowerInvariant();
        var withoutEmails = Email().Replace(details, " ");
        foreach (var piece in Separators().Split(withoutEmails))
            if (PhoneNumber.ToE164(piece.Trim()) is { } e164) yield return e164;
    }

    [GeneratedRegex(@"[^\s,;<>()]+@[^\s,;<>()]+\.[^\s,;<>()]+")]
    private static partial Regex Email();

    [GeneratedRegex(@"[,;/|]|\s{2,}|\b(?:tel|telefon|phone|mobil)\b\.?:?", RegexOptions.IgnoreCase)]
    private static partial Regex Separators();
}
