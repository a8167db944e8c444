using CitizenCrm.Core.Common;
using CitizenCrm.Core.Storage;

namespace CitizenCrm.Core.DataProtection.Erasure;

/// <summary>
/// The guard the citizen commands call: nothing new is recorded about an erased citizen (GDPR art. 17 — the erasure would
/// be undone piece by piece). A person who comes back is registered again, as a new citizen.
/// </summary>
public static class ErasedCitizens
{
    private const string ErasedAt = "SELECT erased_at FROM citizens WHERE id = @Id";

    public static async Task ThrowIfErasedAsync(UnitOfWork uow, Guid citizenId, CancellationToken ct)
    {
        if (await uow.ExecuteScalarAsync<long?>(ErasedAt, new { Id = citizenId }, ct) is { } erasedAt)
            throw Erased(erasedAt);
    }

    public static ConflictException Erased(long erasedAtMs) => new(
        $"This citizen's data was erased on {Calendar.LocalDate(Calendar.FromMs(erasedAtMs)):yyyy-MM-dd} (GDPR art. 17); nothing more can be " +
        "recorded for them. If the person comes back, register them again as a new citizen.", "Citizen erased");

    public static ConflictException AlreadyErased(long erasedAtMs) => new(
        $"This citizen's data was erased on {Calendar.LocalDate(Calendar.FromMs(erasedAtMs)):yyyy-MM-dd} already; there is nothing left to erase. " +
        "Refuse or close this request with that answer.", "Citizen already erased");
}
