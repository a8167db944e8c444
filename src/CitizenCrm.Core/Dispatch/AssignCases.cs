using CitizenCrm.Core.Cases;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Storage;
using Mediator;

namespace CitizenCrm.Core.Dispatch;

/// <summary>
/// A dispatcher gives one or many open cases to a department, a staff member, or both (assign, or reassign a case
/// someone else holds). Many at once is all or nothing: if any case cannot be given (unknown, no longer open, or
/// changed since the client loaded it, when versions are sent), none is, and the answer names every refused one.
/// A department left out keeps the case's department; a person left out keeps its person — so "give these to
/// Urbanism" does not unassign anyone by accident.
/// </summary>
public sealed record AssignCases(IReadOnlyList<Guid>? CaseIds, string? Department, string? StaffUsername, IReadOnlyList<int>? Versions = null)
    : ICommand<BulkAssignResult>, IValidatable
{
    public const int MaxCases = 200;

    public void Validate(Validation v)
    {
        if (CaseIds is null || CaseIds.Count == 0) v.Add("caseIds", "Say which cases to assign (caseIds).");
        else if (CaseIds.Count > MaxCases) v.Add("caseIds", $"At most {MaxCases} cases at once.");
        else if (CaseIds.Distinct().Count() != CaseIds.Count) v.Add("caseIds", "A case is listed twice.");
        if (Versions is not null && (CaseIds is null || Versions.Count != CaseIds.Count))
            v.Add("versions", "Give one version per case, in the same order as caseIds, or leave versions out.");
        if (string.IsNullOrWhiteSpace(Department) && string.IsNullOrWhiteSpace(StaffUsername))
            v.Add("department", "Say to whom the cases go: a department, a staff member (staffUsername), or both.");
        v.MaxLength("department", Department, 100, "The department");
        v.MaxLength("staffUsername", StaffUsername, 64, "The staff username");
    }
}

public sealed class AssignCasesHandler(UnitOfWork uow, Timeline.Timeline timeline, TimeProvider clock) : ICommandHandler<AssignCases, BulkAssignResult>
{
    private const string Update = """
        UPDATE cases SET status = @Status, assigned_department = @Department, assigned_to = @AssignedTo,
                         updated_at = @Now, version = version + 1
        WHERE id = @Id AND version = @Version
        """;

    public async ValueTask<BulkAssignResult> Handle(AssignCases command, CancellationToken ct)
    {
        var username = string.IsNullOrWhiteSpace(command.StaffUsername) ? null : DispatchCases.Username(command.StaffUsername);
        if (username is not null) await DispatchCases.EnsureAssignableAsync(uow, username, ct);
        var department = string.IsNullOrWhiteSpace(command.Department) ? null : command.Department.Trim();

        // Every case is checked before any is changed, so a refusal leaves all of them as they were.
        var ids = command.CaseIds!;
        var cases = new List<CaseRow>();
        var refused = new List<RefusedCase>();
        for (var i = 0; i < ids.Count; i++)
        {
            try
            {
                var c = await CaseStore.LoadAsync(uow, ids[i], ct);
                cases.Add(c);
                Lifecycle.Ensure(c, Lifecycle.Move.Assign);
                DispatchCases.EnsureVersion(c, command.Versions?[i]);
            }
            catch (CrmException e)
            {
                refused.Add(new RefusedCase(ids[i], cases.LastOrDefault(c => c.Id == ids[i])?.RegistrationNumber, e.Detail));
            }
        }
        if (refused.Count > 0)
        {
            var names = string.Join("; ", refused.Select(r => $"{r.RegistrationNumber ?? r.CaseId.ToString()}: {r.Reason}"));
            throw new CasesRefusedException(
                $"{refused.Count} of {ids.Count} case(s) cannot be assigned, so none was: {names}", refused);
        }

        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var results = new List<DispatchCaseResult>();
        foreach (var c in cases)
        {
            var newDepartment = department ?? c.AssignedDepartment;
            var newStaff = username ?? c.AssignedTo;
            await CaseStore.UpdateAsync(uow, Update, new
            {
                c.Id, c.Version, Department = newDepartment, AssignedTo = newStaff, Now = now,
                Status = c.Status == CaseStatuses.Registered ? CaseStatuses.Assigned : c.Status,
            }, ct);
            var to = string.Join(" / ", new[] { newDepartment, newStaff }.Where(s => s is not null));
            var verb = c.AssignedTo is not null || c.AssignedDepartment is not null ? "reassigned" : "assigned";
            var recorded = await CaseStore.RecordAsync(timeline, c, "case.assigned",
                $"{CaseStore.KindName(c.Kind)} {c.RegistrationNumber} {verb} to {to}{(cases.Count > 1 ? $" (with {cases.Count - 1} other case(s))" : "")}",
                new { department = newDepartment, staff = newStaff, previousDepartment = c.AssignedDepartment, previousStaff = c.AssignedTo, bulk = cases.Count > 1 }, ct);
            results.Add(await DispatchCases.ResultAsync(uow, c.Id, recorded.Seq, clock, ct));
        }
        return new BulkAssignResult(results);
    }
}
