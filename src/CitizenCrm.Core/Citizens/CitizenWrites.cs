using CitizenCrm.Core.Storage;

namespace CitizenCrm.Core.Citizens;

/// <summary>Keeps the lookup tables (phones, e-mails, folded name words) in step with a citizen's row.</summary>
internal static class CitizenLookups
{
    private const string Clear = """
        DELETE FROM citizen_phones WHERE citizen_id = @Id;
        DELETE FROM citizen_emails WHERE citizen_id = @Id;
        DELETE FROM citizen_name_tokens WHERE citizen_id = @Id;
        """;

    public static async Task WriteAsync(UnitOfWork uow, Guid id, CitizenDetails d, bool replace, CancellationToken ct)
    {
        if (replace) await uow.ExecuteAsync(Clear, new { Id = id }, ct);
        await uow.ExecuteAsync("INSERT INTO citizen_phones (phone, citizen_id) VALUES (@Phone, @Id)",
            d.NormalizedPhones().Select(p => new { Phone = p, Id = id }), ct);
        await uow.ExecuteAsync("INSERT INTO citizen_emails (email, citizen_id) VALUES (@Email, @Id)",
            d.NormalizedEmails().Select(e => new { Email = e, Id = id }), ct);
        await uow.ExecuteAsync("INSERT INTO citizen_name_tokens (token, citizen_id) VALUES (@Token, @Id)",
            NameFolding.Tokens(d.FirstName, d.LastName).Select(t => new { Token = t, Id = id }), ct);
    }
}
