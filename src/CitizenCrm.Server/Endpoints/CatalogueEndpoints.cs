using CitizenCrm.Core.Catalogue;
using CitizenCrm.Core.Common;
using CitizenCrm.Server.Hosting;
using Mediator;

namespace CitizenCrm.Server.Endpoints;

/// <summary>The service catalogue (the citizen's guide): anyone reads it, admins change it, each change recorded.</summary>
public static class CatalogueEndpoints
{
    public sealed record ServiceBody(
        string? Code, Translations? Names, Translations? Descriptions, string? Department, IReadOnlyList<DocumentInput>? Documents,
        decimal? FeeLei, int? ProcessingDays, IReadOnlyList<string>? Channels, bool? Incident, IReadOnlyList<AttributeInput>? Attributes, bool? Active);

    public static void MapCatalogueEndpoints(this RouteGroupBuilder api)
    {
        var services = api.MapGroup("/catalogue/services").WithTags("Catalogue");

        services.MapGet("/", async (string? lang, bool? incidents, IMediator m, CancellationToken ct) =>
            Results.Ok(await m.Send(new ListCatalogueServices(lang, incidents ?? false), ct)))
            .Produces<IReadOnlyList<CatalogueService>>().AllowAnonymous();

        services.MapGet("/{code}", async (string code, string? lang, IMediator m, CancellationToken ct) =>
            Results.Ok(await m.Send(new GetCatalogueService(code, lang), ct)))
            .Produces<CatalogueService>().AllowAnonymous();

        services.MapPost("/", async (ServiceBody? body, IMediator m, CancellationToken ct) =>
        {
            var saved = await m.Send(Command(body?.Code, adding: true, body), ct);
            return Results.Created($"/api/catalogue/services/{saved.Code}", saved);
        }).Produces<CatalogueService>(StatusCodes.Status201Created).AllowRoles(StaffRole.Admin);

        services.MapPut("/{code}", async (string code, ServiceBody? body, IMediator m, CancellationToken ct) =>
            Results.Ok(await m.Send(Command(code, adding: false, body), ct)))
            .Produces<CatalogueService>().AllowRoles(StaffRole.Admin);

        services.MapGet("/{code}/history", async (string code, IMediator m, CancellationToken ct) =>
            Results.Ok(await m.Send(new GetCatalogueHistory(code), ct)))
            .Produces<IReadOnlyList<CatalogueChange>>().AllowRoles(StaffRole.Admin);
    }

    private static SaveCatalogueService Command(string? code, bool adding, ServiceBody? body) => new(
        code, adding, body?.Names, body?.Descriptions, body?.Department, body?.Documents, body?.FeeLei, body?.ProcessingDays,
        body?.Channels, body?.Incident ?? false, body?.Attributes, body?.Active ?? true);
}
