using CitizenCrm.Core.Storage;

namespace CitizenCrm.Core.Cases;

/// <summary>
/// Gapless numbers per register and year, from a counter row updated inside the registering transaction:
/// if the registration rolls back, so does its number. Never a sequence or identity column (those are not
/// transactional on PostgreSQL and SQL Server and would leave gaps). On SQLite the command's transaction is
/// BEGIN IMMEDIATE, so concurrent registrations queue on the write lock and each reads its own increment.
/// On the server databases the UPDATE takes a row lock that serialises them the same way; a race on the
/// very first INSERT of a year is a unique violation that fails that one registration (retried by the client).
/// </summary>
internal static class RegistrationNumbers
{
    private const string Bump = "UPDATE registration_counters SET value = value + 1 WHERE register_code = @Register AND year = @Year";
    private const string FirstOfYear = "INSERT INTO registration_counters (register_code, year, value) VALUES (@Register, @Year, 1)";
    private const string Read = "SELECT value FROM registration_counters WHERE register_code = @Register AND year = @Year";

    public static async Task<int> NextAsync(UnitOfWork uow, string register, int year, CancellationToken ct)
    {
        if (!uow.InTransaction) throw new InvalidOperationException("Registration numbers are taken inside the registering transaction.");
        var args = new { Register = register, Year = year };
        if (await uow.ExecuteAsync(Bump, args, ct) == 0) await uow.ExecuteAsync(FirstOfYear, args, ct);
        return checked((int)await uow.ExecuteScalarAsync<long>(Read, args, ct));
    }
}
