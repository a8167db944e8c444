namespace CitizenCrm.Core.Staff;

/// <summary>Bound from the "Staff" configuration section.</summary>
public sealed class StaffOptions
{
    /// <summary>A bearer token lasts one working day unless the user signs out first.</summary>
    public double TokenLifetimeHours { get; set; } = 10;

    /// <summary>PBKDF2-SHA512 iterations (OWASP 2023 recommends 210,000).</summary>
    public int PasswordIterations { get; set; } = 210_000;

    public int MinimumPasswordLength { get; set; } = 10;

    /// <summary>Failed sign-ins allowed per user name, and per client address, within the window.</summary>
    public int MaxFailuresPerUser { get; set; } = 5;
    public int MaxFailuresPerAddress { get; set; } = 20;
    public double FailureWindowMinutes { get; set; } = 15;
}
