using CitizenCrm.Core.Storage;
using Mediator;

namespace CitizenCrm.Core.Dispatch;

/// <summary>Someone work can be given to: an active clerk, dispatcher or supervisor, by username, name and department.</summary>
public sealed record Assignee(string Username, string DisplayName, string Role, string? Department);

public sealed record Assignees(IReadOnlyList<Assignee> Staff);

/// <summary>
/// The staff a dispatcher may assign cases to, for the console's "assign to" list: the accounts that are not disabled
/// and work cases (clerks, dispatchers, supervisors), by department then name. Nothing else about an account (no
/// e-mail, no role history): the staff accounts list itself stays the admins'.
/// </summary>
public sealed record GetAssignees : IQuery<Assignees>;

public sealed class GetAssigneesHandler(UnitOfWork uow) : IQueryHandler<GetAssignees, Assignees>
{
    private const string Sql = """
        SELECT username AS Username, display_name AS DisplayName, role AS Role, department AS Department
        FROM staff_users
        WHERE disabled = 0 AND role IN ('clerk', 'dispatcher', 'supervisor')
        ORDER BY CASE WHEN department IS NULL THEN 1 ELSE 0 END, department, display_name, username
        """;

    private sealed record Row
    {
        public string Username { get; init; } = "";
        public string DisplayName { get; init; } = "";
        public string Role { get; init; } = "";
        public string? Department { get; init; }
    }

    public async ValueTask<Assignees> Handle(GetAssignees query, CancellationToken ct) =>
        new((await uow.QueryAsync<Row>(Sql, null, ct)).Select(r => new Assignee(r.Username, r.DisplayName, r.Role, r.Department)).ToList());
}
