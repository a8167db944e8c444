using CitizenCrm.Core.Citizens;
using CitizenCrm.Core.Storage;
using Mediator;

namespace CitizenCrm.Core.Phone;

/// <summary>
/// What the robot keeps between the CNP turn and the PIN turn: a keyed hash of the CNP (to count failures,
/// for unknown CNPs too, without storing the CNP) and the citizen it belongs to, if any. The caller is told
/// nothing from this; the answer only feeds <see cref="VerifyCaller"/>.
/// </summary>
public sealed record CallerCnp(string CnpKey, Guid? CitizenId);

/// <summary>The CNP must already have passed its checksum (the robot checks it before any lookup).</summary>
public sealed record LookUpCallerCnp(string Cnp) : IQuery<CallerCnp>;

public sealed class LookUpCallerCnpHandler(UnitOfWork uow, PhonePinHasher hasher) : IQueryHandler<LookUpCallerCnp, CallerCnp>
{
    private const string FindCitizen = "SELECT id FROM citizens WHERE id_type = 'cnp' AND national_id = @Cnp";

    public async ValueTask<CallerCnp> Handle(LookUpCallerCnp query, CancellationToken ct)
    {
        if (!Cnp.IsValid(query.Cnp)) throw new ArgumentException("Check the CNP's checksum before looking it up.", nameof(query));
        var ids = await uow.QueryAsync<Guid>(FindCitizen, new { query.Cnp }, ct);
        return new CallerCnp(CnpKey(hasher, query.Cnp), ids.Count == 1 ? ids[0] : null);
    }

    /// <summary>
    /// HMAC of the CNP under the phone-PIN key (the all-zero citizen id separates it from PIN hashes):
    /// a dump of the failure table gives no CNP, and 10^12 candidates cannot be tried without the key.
    /// </summary>
    public static string CnpKey(PhonePinHasher hasher, string cnp) => hasher.Hash(Guid.Empty, "cnp:" + cnp);
}
