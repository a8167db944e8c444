using System.Text;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Pipeline;
using CitizenCrm.Core.Storage;
using Dapper;
using Mediator;

namespace CitizenCrm.Core.Citizens;

/// <summary>
/// A search hit. The national ID is masked to its last 4 digits and only the birth year is shown:
/// last 4 digits plus a full birth date would leave few enough CNPs to try (Law 190/2018 art. 4).
/// </summary>
public sealed record CitizenSummary(Guid Id, string IdType, string MaskedNationalId, string FirstName, string LastName, int? BirthYear, string PreferredLanguage);

public sealed record CitizenSearchResult(IReadOnlyList<CitizenSummary> Citizens) : ICitizenDataResult
{
    [System.Text.Json.Serialization.JsonIgnore]
    public IEnumerable<Guid> CitizensShown => Citizens.Select(c => c.Id);
}

/// <summary>Find by national ID (exact), phone (any format, matched as E.164) or name words (prefixes, diacritics ignored).</summary>
public sealed record FindCitizens(string? NationalId = null, string? Phone = null, string? Name = null, int? Limit = null)
    : IPersonalDataQuery<CitizenSearchResult>, IValidatable
{
    public void Validate(Validation v)
    {
        if (string.IsNullOrWhiteSpace(NationalId) && string.IsNullOrWhiteSpace(Phone) && string.IsNullOrWhiteSpace(Name))
            v.Add("query", "Give a national ID, a phone number or a name to search for.");
        if (!string.IsNullOrWhiteSpace(NationalId) && NationalIdProblem(NationalId.Trim()) is { } idProblem) v.Add("nationalId", idProblem);
        if (Phone is not null && PhoneNumber.ToE164(Phone) is null) v.Add("phone", $"'{Phone}' is not a phone number.");
        if (Name is not null && NameFolding.Tokens(Name).Count is 0 or > 5) v.Add("name", "Search by one to five name words.");
        if (Limit is < 1 or > 100) v.Add("limit", "The number of results must be between 1 and 100.");
    }

    /// <summary>
    /// A value that no citizen could have been registered with is a typing error, said so, not an empty result: 13 digits
    /// are a CNP and must pass its checks (checksum, date, county); anything else must be a passport or foreign ID as
    /// <see cref="RegisterCitizen"/> accepts them (4 to 32 letters and digits).
    /// </summary>
    private static string? NationalIdProblem(string id)
    {
        if (id.Length == 13 && id.All(char.IsAsciiDigit)) return Cnp.Problem(id);
        return id.Length is < 4 or > 32 || !id.All(char.IsAsciiLetterOrDigit)
            ? "Search by a CNP (13 digits) or by a passport or foreign ID (4 to 32 letters and digits)."
            : null;
    }
}

public sealed class FindCitizensHandler(UnitOfWork uow) : IQueryHandler<FindCitizens, CitizenSearchResult>
{
    public async ValueTask<CitizenSearchResult> Handle(FindCitizens query, CancellationToken ct)
    {
        var sql = new StringBuilder($"SELECT {CitizenRow.Columns} FROM citizens c WHERE 1 = 1");
        var p = new DynamicParameters();
        if (!string.IsNullOrWhiteSpace(query.NationalId))
        {
            sql.Append(" AND c.national_id = @NationalId");
            p.Add("NationalId", query.NationalId.Trim().ToUpperInvariant());
        }
        if (!string.IsNullOrWhiteSpace(query.Phone))
        {
            sql.Append(" AND c.id IN (SELECT citizen_id FROM citizen_phones WHERE phone = @Phone)");
            p.Add("Phone", PhoneNumber.ToE164(query.Phone));
        }
        if (!string.IsNullOrWhiteSpace(query.Name))
        {
            // Each word is a prefix range on the folded-name index: "stef" matches [stef, stef\uffff).
            var tokens = NameFolding.Tokens(query.Name);
            for (var i = 0; i < tokens.Count; i++)
            {
                sql.Append($" AND c.id IN (SELECT citizen_id FROM citizen_name_tokens WHERE token >= @T{i} AND token < @T{i}End)");
                p.Add($"T{i}", tokens[i]);
                p.Add($"T{i}End", tokens[i] + '\uffff');
            }
        }
        sql.Append(" ORDER BY c.last_name, c.first_name, c.id ").Append(uow.Dialect.LimitClause);
        p.Add("Limit", query.Limit ?? 25);

        var hits = await uow.QueryAsync<CitizenRow>(sql.ToString(), p, ct);
        return new CitizenSearchResult(hits.Select(h => new CitizenSummary(h.Id, h.IdType, Cnp.Mask(h.NationalId),
            h.FirstName, h.LastName, h.DateOfBirth?.Year, h.PreferredLanguage)).ToList());
    }
}
