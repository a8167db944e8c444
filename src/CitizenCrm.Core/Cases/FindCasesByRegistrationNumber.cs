using CitizenCrm.Core.Storage;
using Mediator;

namespace CitizenCrm.Core.Cases;

/// <summary>One case as the console's global search lists it: where it is registered and what it is about, no party.</summary>
public sealed record CaseFound(Guid Id, string RegistrationNumber, string RegisterCode, string Kind, string Status, string Subject);

public sealed record CasesFound(IReadOnlyList<CaseFound> Items);

/// <summary>
/// Every register's case with this number in this year ("12/2026" typed into the staff console's search): each register
/// counts from 1, so one number may name a case in several registers. No personal data: the party is not read.
/// </summary>
public sealed record FindCasesByRegistrationNumber(int Number, int Year) : IQuery<CasesFound>;

public sealed class FindCasesByRegistrationNumberHandler(UnitOfWork uow) : IQueryHandler<FindCasesByRegistrationNumber, CasesFound>
{
    private const string Sql = """
        SELECT c.id AS Id, c.number AS Number, c.year AS Year, c.register_code AS RegisterCode, c.kind AS Kind, c.status AS Status, c.subject AS Subject
        FROM cases c WHERE c.number = @Number AND c.year = @Year
        ORDER BY c.register_code
        """;

    private sealed record Row
    {
        public Guid Id { get; init; }
        public long Number { get; init; }
        public long Year { get; init; }
        public string RegisterCode { get; init; } = "";
        public string Kind { get; init; } = "";
        public string Status { get; init; } = "";
        public string Subject { get; init; } = "";
    }

    public async ValueTask<CasesFound> Handle(FindCasesByRegistrationNumber query, CancellationToken ct)
    {
        var rows = await uow.QueryAsync<Row>(Sql, new { query.Number, query.Year }, ct);
        return new CasesFound(rows.Select(r => new CaseFound(r.Id, $"{r.Number}/{r.Year}", r.RegisterCode, r.Kind, r.Status, r.Subject)).ToList());
    }
}
