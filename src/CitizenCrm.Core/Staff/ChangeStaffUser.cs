using System.Text.Json.Serialization;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Storage;
using CitizenCrm.Core.Timeline;
using Mediator;

namespace CitizenCrm.Core.Staff;

/// <summary>Disabling a user signs them out everywhere at once.</summary>
public sealed record SetStaffUserDisabled(Guid UserId, bool Disabled) : ICommand<StaffUser>;

/// <summary>An admin sets a new password; every token of that user stops working.</summary>
public sealed record ResetStaffPassword(Guid UserId, [property: JsonIgnore] string PasswordHash) : ICommand<StaffUser>;

internal static class StaffUserChanges
{
    public const string Load = "SELECT " + StaffUserRow.Columns + " FROM staff_users WHERE id = @Id";
    public const string RevokeAll = "UPDATE staff_tokens SET revoked_at = @Now WHERE user_id = @Id AND revoked_at IS NULL";

    public static async Task<StaffUserRow> LoadAsync(UnitOfWork uow, Guid id, CancellationToken ct) =>
        await uow.QuerySingleOrDefaultAsync<StaffUserRow>(Load, new { Id = id }, ct) ?? throw new NotFoundException("staff user", id);
}

public sealed class SetStaffUserDisabledHandler(UnitOfWork uow, Timeline.Timeline timeline, RequestContext context, TimeProvider clock)
    : ICommandHandler<SetStaffUserDisabled, StaffUser>
{
    public async ValueTask<StaffUser> Handle(SetStaffUserDisabled command, CancellationToken ct)
    {
        var user = await StaffUserChanges.LoadAsync(uow, command.UserId, ct);
        if (command.Disabled && context.Staff?.UserId == command.UserId)
            throw new ConflictException("You cannot disable your own account; ask another admin.");
        if (user.Disabled == command.Disabled) return user.ToUser();
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await uow.ExecuteAsync("UPDATE staff_users SET disabled = @Disabled WHERE id = @Id", new { Disabled = Flag.Of(command.Disabled), Id = command.UserId }, ct);
        if (command.Disabled) await uow.ExecuteAsync(StaffUserChanges.RevokeAll, new { Now = now, Id = command.UserId }, ct);
        await timeline.AppendAsync(new TimelineEntry
        {
            Kind = command.Disabled ? "staff.user_disabled" : "staff.user_enabled",
            Channel = Channels.System,
            Summary = $"Staff account {user.Username} {(command.Disabled ? "disabled" : "enabled")}",
            Payload = new { UserId = user.Id },
        }, ct);
        return (user with { Disabled = command.Disabled }).ToUser();
    }
}

public sealed class ResetStaffPasswordHandler(UnitOfWork uow, Timeline.Timeline timeline, TimeProvider clock)
    : ICommandHandler<ResetStaffPassword, StaffUser>
{
    public async ValueTask<StaffUser> Handle(ResetStaffPassword command, CancellationToken ct)
    {
        var user = await StaffUserChanges.LoadAsync(uow, command.UserId, ct);
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await uow.ExecuteAsync("UPDATE staff_users SET password_hash = @PasswordHash, password_changed_at = @Now WHERE id = @Id",
            new { command.PasswordHash, Now = now, Id = command.UserId }, ct);
        await uow.ExecuteAsync(StaffUserChanges.RevokeAll, new { Now = now, Id = command.UserId }, ct);
        await timeline.AppendAsync(new TimelineEntry
        {
            Kind = "staff.password_reset",
            Channel = Channels.System,
            Summary = $"Password of staff account {user.Username} reset; all its sessions ended",
            Payload = new { UserId = user.Id },
        }, ct);
        return user.ToUser();
    }
}

/// <summary>One page of staff accounts, in username order, with how many there are in all.</summary>
public sealed record StaffUserList(IReadOnlyList<StaffUser> Items, long Total, string? NextCursor) : IPage;

/// <summary>Staff accounts in username order, paged by username (unique, so it alone is the cursor).</summary>
public sealed record ListStaffUsers(int? Limit = null, string? Cursor = null) : IQuery<StaffUserList>, IValidatable
{
    internal const string CursorName = "staff-users";

    public void Validate(Validation v)
    {
        Paging.ValidateLimit(v, Limit);
        Paging.Decode(v, Cursor, CursorName, 1);
    }
}

public sealed class ListStaffUsersHandler(UnitOfWork uow) : IQueryHandler<ListStaffUsers, StaffUserList>
{
    private const string Count = "SELECT COUNT(*) FROM staff_users";

    public async ValueTask<StaffUserList> Handle(ListStaffUsers query, CancellationToken ct)
    {
        var after = Paging.Decode(new Validation(), query.Cursor, ListStaffUsers.CursorName, 1)?[0];
        var take = Paging.Take(query.Limit);
        var sql = "SELECT " + StaffUserRow.Columns + " FROM staff_users" + (after is null ? "" : " WHERE username > @After") +
                  " ORDER BY username " + uow.Dialect.LimitClause;
        var rows = await uow.QueryAsync<StaffUserRow>(sql, new { After = after, Limit = take + 1 }, ct);
        var users = rows.Take(take).Select(r => r.ToUser()).ToList();
        return new StaffUserList(users, await uow.ExecuteScalarAsync<long>(Count, null, ct),
            rows.Count > take ? Paging.Encode(ListStaffUsers.CursorName, users[^1].Username) : null);
    }
}
