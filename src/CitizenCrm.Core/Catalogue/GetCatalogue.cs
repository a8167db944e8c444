using CitizenCrm.Core.Common;
using CitizenCrm.Core.Storage;
using Mediator;

namespace CitizenCrm.Core.Catalogue;

/// <summary>The citizen's guide: every service still offered, in one language (ro by default). Anyone may read it.</summary>
public sealed record ListCatalogueServices(string? Lang, bool IncidentsOnly = false) : IQuery<IReadOnlyList<CatalogueService>>, IValidatable
{
    public void Validate(Validation v)
    {
        if (CatalogueLanguages.Parse(Lang) is null) v.Add("lang", "The guide is written in ro, en and hu; ask for one of these.");
    }
}

public sealed class ListCatalogueServicesHandler(UnitOfWork uow) : IQueryHandler<ListCatalogueServices, IReadOnlyList<CatalogueService>>
{
    public async ValueTask<IReadOnlyList<CatalogueService>> Handle(ListCatalogueServices query, CancellationToken ct)
    {
        var all = await CatalogueStore.LoadAsync(uow, CatalogueLanguages.Parse(query.Lang)!, code: null, activeOnly: true, ct);
        return query.IncidentsOnly ? all.Where(s => s.Incident).ToList() : all;
    }
}

/// <summary>One service of the guide, also one no longer offered (its page says so: active is false).</summary>
public sealed record GetCatalogueService(string? Code, string? Lang) : IQuery<CatalogueService>, IValidatable
{
    public void Validate(Validation v)
    {
        if (CatalogueLanguages.Parse(Lang) is null) v.Add("lang", "The guide is written in ro, en and hu; ask for one of these.");
    }
}

public sealed class GetCatalogueServiceHandler(UnitOfWork uow) : IQueryHandler<GetCatalogueService, CatalogueService>
{
    public async ValueTask<CatalogueService> Handle(GetCatalogueService query, CancellationToken ct)
    {
        var code = query.Code?.Trim().ToLowerInvariant() ?? "";
        return (CatalogueStore.IsCode(code, 40) ? await CatalogueStore.FindAsync(uow, code, CatalogueLanguages.Parse(query.Lang)!, ct) : null)
               ?? throw new NotFoundException("service in the catalogue", query.Code ?? "");
    }
}
