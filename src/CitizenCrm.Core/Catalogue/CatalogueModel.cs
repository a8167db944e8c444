using CitizenCrm.Core.Common;
using CitizenCrm.Core.Storage;
using CitizenCrm.Core.Timeline;

namespace CitizenCrm.Core.Catalogue;

/// <summary>A text in the city's three languages: Romanian (official), English and Hungarian.</summary>
public sealed record Translations(string? Ro, string? En, string? Hu)
{
    public string In(string lang) => (lang switch { "en" => En, "hu" => Hu, _ => Ro }) ?? "";
}

/// <summary>One value of a list question (Open311: values[].key and values[].name).</summary>
public sealed record ServiceAttributeValue(string Key, string Name, Translations Names);

/// <summary>
/// A question put to whoever reports an incident, shaped like an Open311 GeoReport v2 service definition's attribute:
/// code, datatype, required, order, description (the question itself, in the requested language) and values for lists.
/// </summary>
public sealed record ServiceAttribute(
    string Code, int Order, string Datatype, bool Required, string Description, Translations Questions, IReadOnlyList<ServiceAttributeValue> Values);

public sealed record RequiredDocument(string Name, Translations Names);

/// <summary>A service of the citizen's guide, with its texts in the requested language and in all three.</summary>
public sealed record CatalogueService(
    string Code,
    string Lang,
    string Name,
    string Description,
    Translations Names,
    Translations Descriptions,
    string Department,
    IReadOnlyList<RequiredDocument> Documents,
    decimal FeeLei,
    int ProcessingDays,
    IReadOnlyList<string> Channels,
    bool Incident,
    IReadOnlyList<ServiceAttribute> Attributes,
    bool Active,
    DateTimeOffset? UpdatedAt,
    string? UpdatedBy);

public static class CatalogueLanguages
{
    public const string Default = "ro";
    public static readonly IReadOnlyList<string> All = ["ro", "en", "hu"];

    /// <summary>The language asked for, or null when it is not one the guide is written in.</summary>
    public static string? Parse(string? lang) =>
        string.IsNullOrWhiteSpace(lang) ? Default : All.FirstOrDefault(l => string.Equals(l, lang.Trim(), StringComparison.OrdinalIgnoreCase));
}

/// <summary>The ways a service can be asked for. A call answered by the phone robot (ivr) counts as phone.</summary>
public static class ServiceChannels
{
    public static readonly IReadOnlyList<string> All =
        [Channels.Desk, Channels.Phone, Channels.Web, Channels.Email, Channels.Map, Channels.Field, Channels.Post];

    public static string ForCase(string caseChannel) => caseChannel == Channels.Ivr ? Channels.Phone : caseChannel;

    public static IReadOnlyList<string> Split(string stored) =>
        stored.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>The Open311 datatypes a question may have.</summary>
public static class AttributeDatatypes
{
    public const string SingleValueList = "singlevaluelist", MultiValueList = "multivaluelist";
    public static readonly IReadOnlyList<string> All = ["string", "number", "datetime", "text", SingleValueList, MultiValueList];
    public static bool IsList(string? datatype) => datatype is SingleValueList or MultiValueList;
}

/// <summary>Reads services with their documents and questions; shared by the public guide, the admin and the history.</summary>
internal static class CatalogueStore
{
    internal const int MaxLeiBani = 100_000_000; // a fee above 1 000 000 lei is a typo

    private sealed record ServiceRow
    {
        public string Code { get; init; } = "";
        public string NameRo { get; init; } = "";
        public string NameEn { get; init; } = "";
        public string NameHu { get; init; } = "";
        public string DescriptionRo { get; init; } = "";
        public string DescriptionEn { get; init; } = "";
        public string DescriptionHu { get; init; } = "";
        public string Department { get; init; } = "";
        public long FeeBani { get; init; }
        public long ProcessingDays { get; init; }
        public string Channels { get; init; } = "";
        public bool Incident { get; init; }
        public bool Active { get; init; }
        public long? UpdatedAt { get; init; }
        public string? UpdatedBy { get; init; }
    }

    private sealed record DocumentRow
    {
        public string ServiceCode { get; init; } = "";
        public string NameRo { get; init; } = "";
        public string NameEn { get; init; } = "";
        public string NameHu { get; init; } = "";
    }

    private sealed record AttributeRow
    {
        public string ServiceCode { get; init; } = "";
        public string Code { get; init; } = "";
        public long Position { get; init; }
        public string Datatype { get; init; } = "";
        public bool Required { get; init; }
        public string QuestionRo { get; init; } = "";
        public string QuestionEn { get; init; } = "";
        public string QuestionHu { get; init; } = "";
    }

    private sealed record ValueRow
    {
        public string ServiceCode { get; init; } = "";
        public string AttributeCode { get; init; } = "";
        public string ValueKey { get; init; } = "";
        public string NameRo { get; init; } = "";
        public string NameEn { get; init; } = "";
        public string NameHu { get; init; } = "";
    }

    private const string Services = """
        SELECT code AS Code, name AS NameRo, name_en AS NameEn, name_hu AS NameHu, description_ro AS DescriptionRo,
               description_en AS DescriptionEn, description_hu AS DescriptionHu, department AS Department, fee_bani AS FeeBani,
               processing_days AS ProcessingDays, channels AS Channels, incident AS Incident, active AS Active,
               updated_at AS UpdatedAt, updated_by AS UpdatedBy
        FROM service_categories
        """;
    private const string Documents = "SELECT service_code AS ServiceCode, name_ro AS NameRo, name_en AS NameEn, name_hu AS NameHu FROM service_documents";
    private const string Attributes = """
        SELECT service_code AS ServiceCode, code AS Code, position AS Position, datatype AS Datatype, required AS Required,
               question_ro AS QuestionRo, question_en AS QuestionEn, question_hu AS QuestionHu
        FROM service_attributes
        """;
    private const string Values = """
        SELECT service_code AS ServiceCode, attribute_code AS AttributeCode, value_key AS ValueKey,
               name_ro AS NameRo, name_en AS NameEn, name_hu AS NameHu
        FROM service_attribute_values
        """;

    /// <summary>All services (or the one named), in code order, with texts in <paramref name="lang"/>.</summary>
    internal static async Task<IReadOnlyList<CatalogueService>> LoadAsync(UnitOfWork uow, string lang, string? code, bool activeOnly, CancellationToken ct)
    {
        var where = code is not null ? " WHERE code = @Code" : activeOnly ? " WHERE active = 1" : "";
        var child = code is not null ? " WHERE service_code = @Code" : "";
        var args = new { Code = code };
        var services = await uow.QueryAsync<ServiceRow>(Services + where + " ORDER BY code", args, ct);
        if (services.Count == 0) return [];
        var documents = (await uow.QueryAsync<DocumentRow>(Documents + child + " ORDER BY service_code, position", args, ct)).ToLookup(d => d.ServiceCode);
        var attributes = (await uow.QueryAsync<AttributeRow>(Attributes + child + " ORDER BY service_code, position", args, ct)).ToLookup(a => a.ServiceCode);
        var values = (await uow.QueryAsync<ValueRow>(Values + child + " ORDER BY service_code, attribute_code, position", args, ct))
            .ToLookup(v => (v.ServiceCode, v.AttributeCode));

        return services.Select(s =>
        {
            var names = new Translations(s.NameRo, s.NameEn, s.NameHu);
            var descriptions = new Translations(s.DescriptionRo, s.DescriptionEn, s.DescriptionHu);
            return new CatalogueService(
                s.Code, lang, names.In(lang), descriptions.In(lang), names, descriptions, s.Department,
                documents[s.Code].Select(d => { var t = new Translations(d.NameRo, d.NameEn, d.NameHu); return new RequiredDocument(t.In(lang), t); }).ToList(),
                s.FeeBani / 100m, (int)s.ProcessingDays, ServiceChannels.Split(s.Channels), s.Incident,
                attributes[s.Code].Select(a =>
                {
                    var questions = new Translations(a.QuestionRo, a.QuestionEn, a.QuestionHu);
                    return new ServiceAttribute(a.Code, (int)a.Position, a.Datatype, a.Required, questions.In(lang), questions,
                        values[(s.Code, a.Code)].Select(v => { var t = new Translations(v.NameRo, v.NameEn, v.NameHu); return new ServiceAttributeValue(v.ValueKey, t.In(lang), t); }).ToList());
                }).ToList(),
                s.Active,
                s.UpdatedAt is { } at ? DateTimeOffset.FromUnixTimeMilliseconds(at) : null,
                s.UpdatedBy);
        }).ToList();
    }

    internal static async Task<CatalogueService?> FindAsync(UnitOfWork uow, string code, string lang, CancellationToken ct) =>
        (await LoadAsync(uow, lang, code, activeOnly: false, ct)).SingleOrDefault();

    internal static bool IsCode(string? code, int max) =>
        code is { Length: > 0 } && code.Length <= max && code.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_');
}
