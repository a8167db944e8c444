using CitizenCrm.Core.Common;

namespace CitizenCrm.Core.Staff;

public sealed record StaffUser(Guid Id, string Username, string DisplayName, StaffRole Role, bool Disabled, DateTimeOffset CreatedAt,
    string? Email = null, string? Department = null);

internal sealed record StaffUserRow
{
    public const string Columns = "id AS Id, username AS Username, display_name AS DisplayName, role AS Role, password_hash AS PasswordHash, disabled AS Disabled, created_at AS CreatedAt, password_changed_at AS PasswordChangedAt, email AS Email, department AS Department";

    public Guid Id { get; init; }
    public string Username { get; init; } = "";
    public string DisplayName { get; init; } = "";
    public string Role { get; init; } = "";
    public string PasswordHash { get; init; } = "";
    public bool Disabled { get; init; }
    public long CreatedAt { get; init; }
    public long PasswordChangedAt { get; init; }
    public string? Email { get; init; }
    public string? Department { get; init; }

    public StaffRole ParsedRole => Enum.Parse<StaffRole>(Role, ignoreCase: true);
    public StaffUser ToUser() => new(Id, Username, DisplayName, ParsedRole, Disabled, Calendar.FromMs(CreatedAt), Email, Department);
}

public static class StaffRoles
{
    public static string ToText(this StaffRole role) => role.ToString().ToLowerInvariant();

    public static bool TryParse(string? text, out StaffRole role)
    {
        role = default;
        return text is "clerk" or "dispatcher" or "supervisor" or "admin" or "volunteer" && Enum.TryParse(text, true, out role);
    }
}
