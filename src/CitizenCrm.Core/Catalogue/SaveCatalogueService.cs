using CitizenCrm.Core.Common;
using CitizenCrm.Core.Storage;
using Mediator;

namespace CitizenCrm.Core.Catalogue;

/// <summary>A document to bring, as the guide shows it (names in ro, en, hu), so a service read can be sent back changed.</summary>
public sealed record DocumentInput(Translations? Names);

public sealed record AttributeValueInput(string? Key, Translations? Names);

public sealed record AttributeInput(string? Code, string? Datatype, bool Required, Translations? Questions, IReadOnlyList<AttributeValueInput>? Values);

/// <summary>
/// An admin adds a service to the catalogue (Adding) or rewrites one wholly. Cases already registered keep the term they
/// were given; a withdrawn service (active false) stays readable so its cases still name it.
/// </summary>
public sealed record SaveCatalogueService(
    string? Code,
    bool Adding,
    Translations? Names,
    Translations? Descriptions,
    string? Department,
    IReadOnlyList<DocumentInput>? Documents,
    decimal? FeeLei,
    int? ProcessingDays,
    IReadOnlyList<string>? Channels,
    bool Incident,
    IReadOnlyList<AttributeInput>? Attributes,
    bool Active = true) : ICommand<CatalogueService>, IValidatable
{
    public void Validate(Validation v)
    {
        if (v.Required("code", Code, "The code") && !CatalogueStore.IsCode(Code, 40))
            v.Add("code", "The code is up to 40 lower-case letters, digits and underscores, e.g. pothole.");
        ThreeLanguages(v, "names", Names, 200, "The name", required: true);
        ThreeLanguages(v, "descriptions", Descriptions, 2000, "The description", required: false);
        if (v.Required("department", Department, "The department responsible")) v.MaxLength("department", Department, 200, "The department");
        if (Documents is { Count: > 30 }) v.Add("documents", "List at most 30 documents.");
        for (var i = 0; i < (Documents?.Count ?? 0) && i < 30; i++)
            ThreeLanguages(v, $"documents[{i}].names", Documents![i]?.Names, 300, "The document's name", required: true);
        if (v.Required("feeLei", FeeLei, "The fee in lei (0 when free)") && (FeeLei < 0 || FeeLei > CatalogueStore.MaxLeiBani / 100 || decimal.Round(FeeLei!.Value, 2) != FeeLei))
            v.Add("feeLei", "The fee is 0 to 1000000 lei, with at most two decimals (bani).");
        if (v.Required("processingDays", ProcessingDays, "The processing time in days") && ProcessingDays is < 1 or > 365)
            v.Add("processingDays", "The processing time is 1 to 365 days.");
        if (Channels is null || Channels.Count == 0)
            v.Add("channels", $"Name at least one channel it can be requested through: {string.Join(", ", ServiceChannels.All)}.");
        else if (Channels.Any(c => c is null || !ServiceChannels.All.Contains(c)) || Channels.Distinct().Count() != Channels.Count)
            v.Add("channels", $"The channels are, each once: {string.Join(", ", ServiceChannels.All)}.");
        else if (Incident && !Channels.Contains(CitizenCrm.Core.Timeline.Channels.Map))
            v.Add("channels", "An incident category is shown on the map, so it accepts the map channel.");

        var attributes = Attributes ?? [];
        if (!Incident && attributes.Count > 0) v.Add("attributes", "Only an incident category (incident: true) asks the reporter questions.");
        if (attributes.Count > 30) v.Add("attributes", "Ask at most 30 questions.");
        var codes = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < attributes.Count && i < 30; i++)
        {
            var a = attributes[i];
            var at = $"attributes[{i}]";
            if (a is null) { v.Add(at, "A question is an object with code, datatype, required, questions and values."); continue; }
            if (!CatalogueStore.IsCode(a.Code, 40)) v.Add($"{at}.code", "The question's code is up to 40 lower-case letters, digits and underscores.");
            else if (!codes.Add(a.Code!)) v.Add($"{at}.code", $"The code {a.Code} is used by two questions.");
            if (a.Datatype is null || !AttributeDatatypes.All.Contains(a.Datatype))
                v.Add($"{at}.datatype", $"The datatype is one of: {string.Join(", ", AttributeDatatypes.All)} (Open311 GeoReport v2).");
            ThreeLanguages(v, $"{at}.questions", a.Questions, 300, "The question", required: true);
            var values = a.Values ?? [];
            if (AttributeDatatypes.IsList(a.Datatype) && values.Count == 0) v.Add($"{at}.values", "A list question needs its values (key and names).");
            if (!AttributeDatatypes.IsList(a.Datatype) && values.Count > 0) v.Add($"{at}.values", "Only a list question (singlevaluelist, multivaluelist) has values.");
            if (values.Count > 50) v.Add($"{at}.values", "Offer at most 50 values.");
            var keys = new HashSet<string>(StringComparer.Ordinal);
            for (var j = 0; j < values.Count && j < 50; j++)
            {
                var value = values[j];
                if (value is null || !CatalogueStore.IsCode(value.Key, 40)) v.Add($"{at}.values[{j}].key", "The key is up to 40 lower-case letters, digits and underscores.");
                else if (!keys.Add(value.Key!)) v.Add($"{at}.values[{j}].key", $"The key {value.Key} is offered twice.");
                ThreeLanguages(v, $"{at}.values[{j}].names", value?.Names, 200, "The value's name", required: true);
                // The pipeline's control-character walk stops four levels down; a value's names lie five down.
                foreach (var (lang, text) in new[] { ("ro", value?.Names?.Ro), ("en", value?.Names?.En), ("hu", value?.Names?.Hu) })
                    if (text is not null && ControlCharacters.Find(text, multiLine: false) is { } bad)
                        v.Add($"{at}.values[{j}].names.{lang}", $"The text holds an invisible control character at character {bad + 1}; remove it.");
            }
        }
    }

    private static void ThreeLanguages(Validation v, string field, Translations? t, int max, string label, bool required)
    {
        foreach (var (lang, text) in new[] { ("ro", t?.Ro), ("en", t?.En), ("hu", t?.Hu) })
        {
            if (required) { if (v.Required($"{field}.{lang}", text, $"{label} in {lang}")) v.MaxLength($"{field}.{lang}", text, max, $"{label} in {lang}"); }
            else v.MaxLength($"{field}.{lang}", text, max, $"{label} in {lang}");
        }
    }
}

public sealed class SaveCatalogueServiceHandler(UnitOfWork uow, Timeline.Timeline timeline, RequestContext context, TimeProvider clock)
    : ICommandHandler<SaveCatalogueService, CatalogueService>
{
    private const string Insert = """
        INSERT INTO service_categories (code, name, name_en, name_hu, description_ro, description_en, description_hu, department,
                                        fee_bani, processing_days, channels, incident, active)
        VALUES (@Code, @NameRo, @NameEn, @NameHu, @DescriptionRo, @DescriptionEn, @DescriptionHu, @Department,
                @FeeBani, @ProcessingDays, @Channels, @Incident, @Active)
        """;
    private const string Update = """
        UPDATE service_categories SET name = @NameRo, name_en = @NameEn, name_hu = @NameHu, description_ro = @DescriptionRo,
            description_en = @DescriptionEn, description_hu = @DescriptionHu, department = @Department, fee_bani = @FeeBani,
            processing_days = @ProcessingDays, channels = @Channels, incident = @Incident, active = @Active
        WHERE code = @Code
        """;
    // Children are rewritten whole: an admin sends the service as it should be.
    private const string DeleteValues = "DELETE FROM service_attribute_values WHERE service_code = @Code";
    private const string DeleteAttributes = "DELETE FROM service_attributes WHERE service_code = @Code";
    private const string DeleteDocuments = "DELETE FROM service_documents WHERE service_code = @Code";
    private const string InsertDocument = "INSERT INTO service_documents (service_code, position, name_ro, name_en, name_hu) VALUES (@Code, @Position, @Ro, @En, @Hu)";
    private const string InsertAttribute = """
        INSERT INTO service_attributes (service_code, code, position, datatype, required, question_ro, question_en, question_hu)
        VALUES (@Code, @AttributeCode, @Position, @Datatype, @Required, @Ro, @En, @Hu)
        """;
    private const string InsertValue = """
        INSERT INTO service_attribute_values (service_code, attribute_code, position, value_key, name_ro, name_en, name_hu)
        VALUES (@Code, @AttributeCode, @Position, @Key, @Ro, @En, @Hu)
        """;

    public async ValueTask<CatalogueService> Handle(SaveCatalogueService command, CancellationToken ct)
    {
        var code = command.Code!;
        var before = await CatalogueStore.FindAsync(uow, code, CatalogueLanguages.Default, ct);
        if (command.Adding && before is not null)
            throw new ConflictException($"The catalogue already has a service '{code}'; change it with PUT /api/catalogue/services/{code}.", "Service exists");
        if (!command.Adding && before is null)
            throw new NotFoundException("service in the catalogue", code);

        await uow.ExecuteAsync(before is null ? Insert : Update, new
        {
            Code = code,
            NameRo = command.Names!.Ro!.Trim(), NameEn = command.Names.En!.Trim(), NameHu = command.Names.Hu!.Trim(),
            DescriptionRo = command.Descriptions?.Ro?.Trim() ?? "", DescriptionEn = command.Descriptions?.En?.Trim() ?? "",
            DescriptionHu = command.Descriptions?.Hu?.Trim() ?? "",
            Department = command.Department!.Trim(),
            FeeBani = (long)(command.FeeLei!.Value * 100),
            ProcessingDays = command.ProcessingDays!.Value,
            Channels = string.Join(',', ServiceChannels.All.Where(command.Channels!.Contains)),
            Incident = Flag.Of(command.Incident),
            Active = Flag.Of(command.Active),
        }, ct);
        await uow.ExecuteAsync(DeleteValues, new { Code = code }, ct);
        await uow.ExecuteAsync(DeleteAttributes, new { Code = code }, ct);
        await uow.ExecuteAsync(DeleteDocuments, new { Code = code }, ct);
        var position = 0;
        foreach (var d in command.Documents ?? [])
            await uow.ExecuteAsync(InsertDocument, new { Code = code, Position = ++position, Ro = d.Names!.Ro!.Trim(), En = d.Names.En!.Trim(), Hu = d.Names.Hu!.Trim() }, ct);
        position = 0;
        foreach (var a in command.Attributes ?? [])
        {
            await uow.ExecuteAsync(InsertAttribute, new
            {
                Code = code, AttributeCode = a.Code, Position = ++position, a.Datatype, Required = Flag.Of(a.Required),
                Ro = a.Questions!.Ro!.Trim(), En = a.Questions.En!.Trim(), Hu = a.Questions.Hu!.Trim(),
            }, ct);
            var valuePosition = 0;
            foreach (var value in a.Values ?? [])
                await uow.ExecuteAsync(InsertValue, new
                {
                    Code = code, AttributeCode = a.Code, Position = ++valuePosition, value.Key,
                    Ro = value.Names!.Ro!.Trim(), En = value.Names.En!.Trim(), Hu = value.Names.Hu!.Trim(),
                }, ct);
        }

        var after = (await CatalogueStore.FindAsync(uow, code, CatalogueLanguages.Default, ct))!;
        await CatalogueHistory.RecordAsync(uow, timeline, context, clock, before, after, ct);
        return (await CatalogueStore.FindAsync(uow, code, CatalogueLanguages.Default, ct))!;
    }
}
