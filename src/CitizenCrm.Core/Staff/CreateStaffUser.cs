using System.Text.Json.Serialization;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Storage;
using CitizenCrm.Core.Timeline;
using Mediator;

namespace CitizenCrm.Core.Staff;

/// <summary>An admin (or the first-admin CLI verb) creates a staff account. The password arrives already hashed.</summary>
/// <remarks>Email and Department are optional: the deadline sweep's escalation notice goes by e-mail to the case's assignee
/// and to the supervisors of its department (issue 10, item 3).</remarks>
public sealed record CreateStaffUser(string? Username, string? DisplayName, string? Role, [property: JsonIgnore] string PasswordHash,
    string? Email = null, string? Department = null)
    : ICommand<StaffUser>, IValidatable
{
    public void Validate(Validation v)
    {
        if (v.Required("username", Username, "The user name")
            && (Username!.Length is < 3 or > 64 || !Username.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_')))
            v.Add("username", "The user name has 3 to 64 letters, digits, dots, dashes or underscores.");
        if (v.Required("displayName", DisplayName, "The display name")) v.MaxLength("displayName", DisplayName, 200, "The display name");
        if (v.Required("role", Role, "The role") && !StaffRoles.TryParse(Role, out _))
            v.Add("role", "The role must be clerk, dispatcher, supervisor, admin or volunteer.");
        v.MaxLength("email", Email, 254, "The e-mail address");
        if (!string.IsNullOrWhiteSpace(Email) && Email.Length <= 254 && !IsEmail(Email.Trim()))
            v.Add("email", "The e-mail address is not valid (name@example.ro).");
        v.MaxLength("department", Department, 200, "The department");
    }

    private static bool IsEmail(string s) =>
        MimeKit.MailboxAddress.TryParse(s, out var m) && m.Address == s && s.IndexOf('@') is > 0 and var at && at < s.Length - 1;
}

public sealed class CreateStaffUserHandler(UnitOfWork uow, Timeline.Timeline timeline, TimeProvider clock)
    : ICommandHandler<CreateStaffUser, StaffUser>
{
    private const string Exists = "SELECT COUNT(*) FROM staff_users WHERE username = @Username";
    private const string Insert = """
        INSERT INTO staff_users (id, username, display_name, role, password_hash, disabled, created_at, password_changed_at, email, department)
        VALUES (@Id, @Username, @DisplayName, @Role, @PasswordHash, 0, @Now, @Now, @Email, @Department)
        """;

    public async ValueTask<StaffUser> Handle(CreateStaffUser command, CancellationToken ct)
    {
        var username = command.Username!.ToLowerInvariant();
        if (await uow.ExecuteScalarAsync<long>(Exists, new { Username = username }, ct) > 0)
            throw new ConflictException($"The user name '{username}' is taken. Choose another.", "User name taken");
        StaffRoles.TryParse(command.Role, out var role);
        var user = new StaffUser(Guid.NewGuid(), username, command.DisplayName!.Trim(), role, false, clock.GetUtcNow(),
            string.IsNullOrWhiteSpace(command.Email) ? null : command.Email.Trim(), string.IsNullOrWhiteSpace(command.Department) ? null : command.Department.Trim());
        await uow.ExecuteAsync(Insert, new
        {
            user.Id, user.Username, user.DisplayName, Role = role.ToText(), command.PasswordHash,
            Now = user.CreatedAt.ToUnixTimeMilliseconds(), user.Email, user.Department,
        }, ct);
        await timeline.AppendAsync(new TimelineEntry
        {
            Kind = "staff.user_created",
            Channel = Channels.System,
            Summary = $"Staff account {username} created with role {role.ToText()}",
            Payload = new { UserId = user.Id, Role = role.ToText() },
        }, ct);
        return user;
    }
}
