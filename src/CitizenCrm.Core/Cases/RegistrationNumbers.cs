using CitizenCrm.Core.Storage;

namespace CitizenCrm.Core.Cases;

/// <summary>
/// Gapless numbers per register and year, from a counter row updated inside the registering transaction:
/// if the registration rolls back, so does its number. Never a sequence or identity column (those are not
/// transactional on PostgreSQL and SQL Server and would leave gaps). On SQLite the command's transaction is
/// BEGIN IMMEDIATE, so concurrent registrations queue on the write lock and each reads its own increment.
/// On the server databases the UPDATE takes a row lock that serialises them the same way. The year's first
/// registrations may race to create the counter row: the insert that loses waits for the winner's commit and
/// then inserts nothing (ON CONFLICT DO NOTHING), and its UPDATE queues on the row lock like any other.
/// </summary>
internal static class RegistrationNumbers
{
    private const string Bump = "UPDATE registration_counters SET value = value + 1 WHERE register_code = @Register AND year = @Year";
    private const string FirstOfYear =
        "INSERT INTO registration_counters (register_code, year, value) VALUES (@Register, @Year, 0) ON CONFLICT (register_code, year) DO NOTHING";
    private const string Read = "SELECT value FROM registration_counters WHERE register_code = @Register AND year = @Year";

    public static async Task<int> NextAsync(UnitOfWork uow, string register, int year, CancellationToken ct)
    {
        if (!uow.InTransaction) throw new InvalidOperationException("Registration numbers are taken inside the registering transaction.");
        var args = new { Register = register, Year = year };
        if (await uow.ExecuteAsync(Bump, args, ct) == 0)
        {
            await uow.ExecuteAsync(FirstOfYear, args, ct);
            await uow.ExecuteAsync(Bump, args, ct);
        }
        return checked((int)await uow.ExecuteScalarAsync<long>(Read, args, ct));
    }
}
