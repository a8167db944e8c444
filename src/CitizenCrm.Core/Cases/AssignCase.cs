using CitizenCrm.Core.Common;
using CitizenCrm.Core.Storage;
using Mediator;

namespace CitizenCrm.Core.Cases;

/// <summary>Gives the case to a department, a staff member, or both. Reassigning an open case is allowed.</summary>
public sealed record AssignCase(Guid CaseId, string? Department, string? StaffUsername) : ICommand<CaseDetails>, IValidatable
{
    public void Validate(Validation v)
    {
        if (string.IsNullOrWhiteSpace(Department) && string.IsNullOrWhiteSpace(StaffUsername))
            v.Add("department", "Say to whom the case goes: a department, a staff member (staffUsername), or both.");
        v.MaxLength("department", Department, 100, "The department");
        v.MaxLength("staffUsername", StaffUsername, 64, "The staff username");
    }
}

public sealed class AssignCaseHandler(UnitOfWork uow, Timeline.Timeline timeline, TimeProvider clock) : ICommandHandler<AssignCase, CaseDetails>
{
    private const string Staff = "SELECT disabled FROM staff_users WHERE username = @Username";
    private const string Update = """
        UPDATE cases SET status = @Status, assigned_department = @Department, assigned_to = @AssignedTo,
                         updated_at = @Now, version = version + 1
        WHERE id = @Id AND version = @Version
        """;

    public async ValueTask<CaseDetails> Handle(AssignCase command, CancellationToken ct)
    {
        var c = await CaseStore.LoadAsync(uow, command.CaseId, ct);
        Lifecycle.Ensure(c, Lifecycle.Move.Assign);
        var username = string.IsNullOrWhiteSpace(command.StaffUsername) ? null : command.StaffUsername.Trim().ToLowerInvariant();
        if (username is not null)
        {
            var disabled = await uow.QuerySingleOrDefaultAsync<bool?>(Staff, new { Username = username }, ct);
            if (disabled is null) throw ValidationFailedException.For("staffUsername", $"There is no staff member '{username}'.");
            if (disabled.Value) throw ValidationFailedException.For("staffUsername", $"The account '{username}' is disabled; assign the case to someone else.");
        }
        var department = string.IsNullOrWhiteSpace(command.Department) ? null : command.Department.Trim();
        var status = c.Status == CaseStatuses.Registered ? CaseStatuses.Assigned : c.Status;
        await CaseStore.UpdateAsync(uow, Update, new
        {
            Id = c.Id, c.Version, Status = status, Department = department, AssignedTo = username,
            Now = clock.GetUtcNow().ToUnixTimeMilliseconds(),
        }, ct);
        var to = string.Join(" / ", new[] { department, username }.Where(s => s is not null));
        await CaseStore.RecordAsync(timeline, c, "case.assigned", $"{CaseStore.KindName(c.Kind)} {c.RegistrationNumber} assigned to {to}",
            new { department, staff = username, previousDepartment = c.AssignedDepartment, previousStaff = c.AssignedTo }, ct);
        return (await CaseStore.LoadAsync(uow, c.Id, ct)).ToDetails(Calendar.Today(clock));
    }
}
