namespace CitizenCrm.Core.Storage;

/// <summary>
/// Yes/no columns are integers 0 and 1 on every database: SQLite has no boolean type, and PostgreSQL refuses a boolean
/// parameter for an integer column (42804) where SQLite would store it as 1. A handler passes <c>Flag.Of(x)</c>.
/// Reading needs nothing: Dapper turns 0 and 1 back into bool.
/// </summary>
public static class Flag
{
    public static long Of(bool value) => value ? 1 : 0;
}
