using CultureInfo = System.Globalization.CultureInfo;
using DateTimeStyles = System.Globalization.DateTimeStyles;
using NumberStyles = System.Globalization.NumberStyles;
using System.Text.Json.Serialization;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Pipeline;
using CitizenCrm.Core.Storage;
using Mediator;

namespace CitizenCrm.Core.Cases;

/// <summary>One case as a citizen hears or reads its status (phone robot, receipts, the clerk's list).</summary>
public sealed record CaseStatusView(
    Guid CaseId,
    string RegistrationNumber,   // "1234/2026"
    int Number,
    int Year,
    string Kind,                 // petition, information_request, service_request
    string Status,               // registered, assigned, in_progress, answered, closed, forwarded, joined, filed, rejected
    string Subject,
    DateOnly RegisteredOn,       // Bucharest calendar date
    DateOnly? DueOn,             // statutory deadline; null where none runs (filed away, closed)
    int? DaysLeft,               // negative when late
    bool Late,
    DateOnly? AnsweredOn);

/// <summary>One page of a citizen's cases, with how many there are in all (<see cref="Total"/>).</summary>
public sealed record CitizenCases(Guid CitizenId, IReadOnlyList<CaseStatusView> Items, long Total, string? NextCursor) : ICitizenDataResult, IPage
{
    [JsonIgnore]
    public IEnumerable<Guid> CitizensShown => [CitizenId];
}

/// <summary>
/// The cases whose party is this citizen, newest first; with OpenOnly, those not yet answered or closed.
/// Paged by (registration instant, number, id), newest first: cases registered in the same millisecond keep the
/// order of their numbers, and the id only breaks a tie between registers.
/// </summary>
public sealed record GetCitizenCases(Guid CitizenId, bool OpenOnly, int? Limit = null, string? Cursor = null)
    : IPersonalDataQuery<CitizenCases>, IValidatable
{
    internal const string CursorName = "citizen-cases";

    public void Validate(Validation v)
    {
        Paging.ValidateLimit(v, Limit);
        Before(v);
    }

    /// <summary>The (registered_at, number, id) of the last case already shown.</summary>
    internal (long RegisteredAt, int Number, Guid Id)? Before(Validation v)
    {
        if (Paging.Decode(v, Cursor, CursorName, 3) is not { } key) return null;
        if (long.TryParse(key[0], NumberStyles.None, CultureInfo.InvariantCulture, out var at)
            && int.TryParse(key[1], NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            && Guid.TryParse(key[2], out var id)) return (at, number, id);
        Paging.Refuse(v);
        return null;
    }
}

public sealed class GetCitizenCasesHandler(UnitOfWork uow, TimeProvider clock) : IQueryHandler<GetCitizenCases, CitizenCases>
{
    private const string CitizenExists = "SELECT COUNT(*) FROM citizens WHERE id = @Id";
    private const string Open = " AND c.status IN " + CaseStatuses.OpenSql;
    // (registered_at, number, id) < (@BeforeAt, @BeforeNumber, @BeforeId), spelt out for SQL Server.
    private const string BeforeCursor = " AND (c.registered_at < @BeforeAt OR (c.registered_at = @BeforeAt AND (c.number < @BeforeNumber" +
        " OR (c.number = @BeforeNumber AND c.id < @BeforeId))))";

    private string Page(bool openOnly, bool before) => "SELECT " + CaseRow.Columns + CaseRow.From + "WHERE c.citizen_id = @Id" +
        (openOnly ? Open : "") + (before ? BeforeCursor : "") + " ORDER BY c.registered_at DESC, c.number DESC, c.id DESC " + uow.Dialect.LimitClause;

    private static string Count(bool openOnly) => "SELECT COUNT(*) FROM cases c WHERE c.citizen_id = @Id" + (openOnly ? Open : "");

    public async ValueTask<CitizenCases> Handle(GetCitizenCases query, CancellationToken ct)
    {
        if (await uow.ExecuteScalarAsync<long>(CitizenExists, new { Id = query.CitizenId }, ct) == 0)
            throw new NotFoundException("citizen", query.CitizenId);
        var today = Calendar.Today(clock);
        var before = query.Before(new Validation());
        var take = Paging.Take(query.Limit);
        var rows = await uow.QueryAsync<CaseRow>(Page(query.OpenOnly, before is not null),
            new { Id = query.CitizenId, BeforeAt = before?.RegisteredAt, BeforeNumber = before?.Number, BeforeId = before?.Id, Limit = take + 1 }, ct);
        var total = await uow.ExecuteScalarAsync<long>(Count(query.OpenOnly), new { Id = query.CitizenId }, ct);
        var shown = rows.Take(take).ToList();
        var next = rows.Count > take
            ? Paging.Encode(GetCitizenCases.CursorName, shown[^1].RegisteredAt.ToString(CultureInfo.InvariantCulture),
                shown[^1].Number.ToString(CultureInfo.InvariantCulture), shown[^1].Id.ToString())
            : null;
        return new CitizenCases(query.CitizenId, shown.Select(r => r.ToStatusView(today)).ToList(), total, next);
    }
}
