using System.Text.Json;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Storage;
using CitizenCrm.Core.Timeline;
using Mediator;

namespace CitizenCrm.Core.Catalogue;

/// <summary>One change an admin made to a service: who, when, what, and the service before and after.</summary>
public sealed record CatalogueChange(long Seq, string ServiceCode, DateTimeOffset ChangedAt, string Actor, string Change, string Summary,
    JsonElement? Before, JsonElement After);

/// <summary>Writes the history row and the timeline event of a change, in the changing command's transaction.</summary>
internal static class CatalogueHistory
{
    private const string Insert = """
        INSERT INTO service_catalogue_changes (service_code, changed_at, actor, change, summary, before_json, after_json)
        VALUES (@Code, @At, @Actor, @Change, @Summary, @Before, @After)
        """;
    private const string Stamp = "UPDATE service_categories SET updated_at = @At, updated_by = @Actor WHERE code = @Code";

    /// <summary>The fields that differ, named as the API names them; "added" when there was nothing before.</summary>
    internal static IReadOnlyList<string> ChangedFields(CatalogueService? before, CatalogueService after)
    {
        if (before is null) return [];
        var fields = new (string Name, object? Was, object? Is)[]
        {
            ("names", before.Names, after.Names), ("descriptions", before.Descriptions, after.Descriptions),
            ("department", before.Department, after.Department), ("documents", before.Documents, after.Documents),
            ("feeLei", before.FeeLei, after.FeeLei), ("processingDays", before.ProcessingDays, after.ProcessingDays),
            ("channels", before.Channels, after.Channels), ("incident", before.Incident, after.Incident),
            ("attributes", before.Attributes, after.Attributes), ("active", before.Active, after.Active),
        };
        return fields.Where(f => Json.Serialize(f.Was) != Json.Serialize(f.Is)).Select(f => f.Name).ToList();
    }

    internal static async Task RecordAsync(UnitOfWork uow, Timeline.Timeline timeline, RequestContext context, TimeProvider clock,
        CatalogueService? before, CatalogueService after, CancellationToken ct)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await uow.ExecuteAsync(Stamp, new { At = now, context.Actor, after.Code }, ct);
        var changed = ChangedFields(before, after);
        var summary = before is null
            ? $"Service {after.Code} added to the catalogue: {after.Names.Ro}, {after.ProcessingDays} days"
            : changed.Count == 0
                ? $"Service {after.Code} saved unchanged"
                : $"Service {after.Code} changed: {string.Join(", ", changed)}" +
                  (changed.Contains("processingDays") ? $" (term {before.ProcessingDays} → {after.ProcessingDays} days)" : "") +
                  (changed.Contains("active") ? after.Active ? " (offered again)" : " (no longer offered)" : "");
        var change = before is null ? "added" : "changed";
        await uow.ExecuteAsync(Insert, new
        {
            after.Code, At = now, context.Actor, Change = change, Summary = summary,
            Before = before is null ? null : Json.Serialize(Stored(before)), After = Json.Serialize(Stored(after)),
        }, ct);
        await timeline.AppendAsync(new TimelineEntry
        {
            Kind = $"catalogue.service_{change}", Channel = Channels.System, Summary = summary,
            Payload = new { service = after.Code, changed },
        }, ct);
    }

    // Stored without the one-language convenience fields and the stamp: the history compares services, not views of them.
    private static object Stored(CatalogueService s) => new
    {
        s.Code, s.Names, s.Descriptions, s.Department, Documents = s.Documents.Select(d => d.Names), s.FeeLei, s.ProcessingDays, s.Channels,
        s.Incident, Attributes = s.Attributes.Select(a => new { a.Code, a.Order, a.Datatype, a.Required, a.Questions, Values = a.Values.Select(v => new { v.Key, v.Names }) }),
        s.Active,
    };
}

/// <summary>An admin reads who changed a service, when and how (newest first).</summary>
public sealed record GetCatalogueHistory(string? Code) : IQuery<IReadOnlyList<CatalogueChange>>;

public sealed class GetCatalogueHistoryHandler(UnitOfWork uow) : IQueryHandler<GetCatalogueHistory, IReadOnlyList<CatalogueChange>>
{
    private sealed record Row
    {
        public long Seq { get; init; }
        public string ServiceCode { get; init; } = "";
        public long ChangedAt { get; init; }
        public string Actor { get; init; } = "";
        public string Change { get; init; } = "";
        public string Summary { get; init; } = "";
        public string? BeforeJson { get; init; }
        public string AfterJson { get; init; } = "{}";
    }

    private const string Exists = "SELECT COUNT(*) FROM service_categories WHERE code = @Code";
    private const string Changes = """
        SELECT seq AS Seq, service_code AS ServiceCode, changed_at AS ChangedAt, actor AS Actor, change AS Change, summary AS Summary,
               before_json AS BeforeJson, after_json AS AfterJson
        FROM service_catalogue_changes WHERE service_code = @Code ORDER BY seq DESC
        """;

    public async ValueTask<IReadOnlyList<CatalogueChange>> Handle(GetCatalogueHistory query, CancellationToken ct)
    {
        var code = query.Code?.Trim().ToLowerInvariant() ?? "";
        if (!CatalogueStore.IsCode(code, 40) || await uow.ExecuteScalarAsync<long>(Exists, new { Code = code }, ct) == 0)
            throw new NotFoundException("service in the catalogue", query.Code ?? "");
        return (await uow.QueryAsync<Row>(Changes, new { Code = code }, ct)).Select(r => new CatalogueChange(
            r.Seq, r.ServiceCode, DateTimeOffset.FromUnixTimeMilliseconds(r.ChangedAt), r.Actor, r.Change, r.Summary,
            r.BeforeJson is null ? null : JsonSerializer.Deserialize<JsonElement>(r.BeforeJson),
            JsonSerializer.Deserialize<JsonElement>(r.AfterJson))).ToList();
    }
}
