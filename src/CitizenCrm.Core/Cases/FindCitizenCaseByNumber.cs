using System.Text.Json.Serialization;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Pipeline;
using CitizenCrm.Core.Storage;
using Mediator;

namespace CitizenCrm.Core.Cases;

public sealed record CitizenCaseLookup(Guid CitizenId, CaseStatusView? Case) : ICitizenDataResult
{
    [JsonIgnore]
    public IEnumerable<Guid> CitizensShown => Case is null ? [] : [CitizenId];
}

/// <summary>
/// A case by its registration number (year optional: the latest year that has that number for this citizen),
/// answered only when its party is this citizen: a number belonging to someone else reads as not found.
/// </summary>
public sealed record FindCitizenCaseByNumber(Guid CitizenId, int Number, int? Year) : IPersonalDataQuery<CitizenCaseLookup>;

public sealed class FindCitizenCaseByNumberHandler(UnitOfWork uow, TimeProvider clock) : IQueryHandler<FindCitizenCaseByNumber, CitizenCaseLookup>
{
    // Every register is searched: a citizen says "my number is 1234", not which register it is in. The newest
    // registration wins when two registers gave this citizen the same number in the same year.
    private const string Sql = "SELECT " + CaseRow.Columns + CaseRow.From + """
        WHERE c.citizen_id = @CitizenId AND c.number = @Number AND (@Year IS NULL OR c.year = @Year)
        ORDER BY c.year DESC, c.registered_at DESC
        """;

    public async ValueTask<CitizenCaseLookup> Handle(FindCitizenCaseByNumber query, CancellationToken ct)
    {
        var rows = await uow.QueryAsync<CaseRow>(Sql, new { query.CitizenId, query.Number, query.Year }, ct);
        return new CitizenCaseLookup(query.CitizenId, rows.Count == 0 ? null : rows[0].ToStatusView(Calendar.Today(clock)));
    }
}
