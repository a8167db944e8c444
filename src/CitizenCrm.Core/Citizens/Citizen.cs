using CitizenCrm.Core.Common;
using CitizenCrm.Core.Pipeline;

namespace CitizenCrm.Core.Citizens;

public static class IdTypes
{
    public const string Cnp = "cnp", Passport = "passport", ForeignId = "foreign_id";
    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Cnp, Passport, ForeignId };
}

public static class Languages
{
    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { "ro", "en", "hu" };
}

/// <summary>A citizen's full record, as a clerk sees it (every read audited).</summary>
public sealed record Citizen(
    Guid Id,
    string IdType,
    string NationalId,
    string FirstName,
    string LastName,
    DateOnly? DateOfBirth,
    string? Address,
    string PreferredLanguage,
    IReadOnlyList<string> Phones,
    IReadOnlyList<string> Emails,
    bool HasPhonePin,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    int Version) : ICitizenDataResult, DataProtection.Masking.IMaskable<Citizen>
{
    [System.Text.Json.Serialization.JsonIgnore]
    public IEnumerable<Guid> CitizensShown => [Id];

    public Citizen Masked() => this with
    {
        NationalId = DataProtection.Masking.PersonalNumbers.NationalId(NationalId),
        Phones = DataProtection.Masking.PersonalNumbers.Phones(Phones),
    };
}

internal sealed record CitizenRow
{
    public const string Columns = """
        id AS Id, id_type AS IdType, national_id AS NationalId, first_name AS FirstName, last_name AS LastName,
        date_of_birth AS DateOfBirth, address AS Address, preferred_language AS PreferredLanguage, phones AS Phones,
        emails AS Emails, pin_hash AS PinHash, created_at AS CreatedAt, updated_at AS UpdatedAt, version AS Version
        """;

    public Guid Id { get; init; }
    public string IdType { get; init; } = "";
    public string NationalId { get; init; } = "";
    public string FirstName { get; init; } = "";
    public string LastName { get; init; } = "";
    public DateOnly? DateOfBirth { get; init; }
    public string? Address { get; init; }
    public string PreferredLanguage { get; init; } = "ro";
    public string Phones { get; init; } = "[]";
    public string Emails { get; init; } = "[]";
    public string? PinHash { get; init; }
    public long CreatedAt { get; init; }
    public long UpdatedAt { get; init; }
    public long Version { get; init; }

    public Citizen ToCitizen() => new(Id, IdType, NationalId, FirstName, LastName, DateOfBirth, Address, PreferredLanguage,
        Json.Deserialize<string[]>(Phones) ?? [], Json.Deserialize<string[]>(Emails) ?? [], PinHash is not null,
        Calendar.FromMs(CreatedAt), Calendar.FromMs(UpdatedAt), (int)Version);
}
