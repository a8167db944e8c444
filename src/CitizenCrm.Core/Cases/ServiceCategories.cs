using CitizenCrm.Core.Catalogue;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Storage;
using CitizenCrm.Core.Timeline;
using Mediator;

namespace CitizenCrm.Core.Cases;

public sealed record ServiceCategory(string Code, string Name, int ProcessingDays, bool Active);

/// <summary>
/// The service-request categories and their processing times: since issue 10 these are the services of the catalogue
/// (Catalogue/), read here in their short form for the registry's older endpoints, which stay as they were.
/// </summary>
public sealed record ListServiceCategories : IQuery<IReadOnlyList<ServiceCategory>>;

public sealed class ListServiceCategoriesHandler(UnitOfWork uow) : IQueryHandler<ListServiceCategories, IReadOnlyList<ServiceCategory>>
{
    private sealed record Row
    {
        public string Code { get; init; } = "";
        public string Name { get; init; } = "";
        public long ProcessingDays { get; init; }
        public bool Active { get; init; }
    }

    public async ValueTask<IReadOnlyList<ServiceCategory>> Handle(ListServiceCategories query, CancellationToken ct) =>
        (await uow.QueryAsync<Row>("SELECT code AS Code, name AS Name, processing_days AS ProcessingDays, active AS Active FROM service_categories ORDER BY code", null, ct))
        .Select(r => new ServiceCategory(r.Code, r.Name, (int)r.ProcessingDays, r.Active)).ToList();
}

/// <summary>An admin adds a category or changes one's name, processing time or whether it is offered. Cases already
/// registered keep the due date they were given. The short form of changing a catalogue service: the name is the Romanian
/// one, and a category added this way starts with that name in English and Hungarian too until an admin translates it
/// (PUT /api/catalogue/services/{code}). Recorded in the catalogue's history like any change.</summary>
public sealed record DefineServiceCategory(string? Code, string? Name, int? ProcessingDays, bool Active = true) : ICommand<ServiceCategory>, IValidatable
{
    public void Validate(Validation v)
    {
        if (v.Required("code", Code, "The code") && (Code!.Length > 40 || !Code.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_')))
            v.Add("code", "The code is up to 40 lower-case letters, digits and underscores, e.g. fiscal_certificate.");
        if (v.Required("name", Name, "The name")) v.MaxLength("name", Name, 200, "The name");
        if (v.Required("processingDays", ProcessingDays, "The processing time in days") && ProcessingDays is < 1 or > 365)
            v.Add("processingDays", "The processing time is 1 to 365 days.");
    }
}

public sealed class DefineServiceCategoryHandler(UnitOfWork uow, Timeline.Timeline timeline, RequestContext context, TimeProvider clock)
    : ICommandHandler<DefineServiceCategory, ServiceCategory>
{
    private const string Insert = "INSERT INTO service_categories (code, name, name_en, name_hu, processing_days, active) VALUES (@Code, @Name, @Name, @Name, @Days, @Active)";
    private const string Update = "UPDATE service_categories SET name = @Name, processing_days = @Days, active = @Active WHERE code = @Code";

    public async ValueTask<ServiceCategory> Handle(DefineServiceCategory command, CancellationToken ct)
    {
        var args = new { command.Code, Name = command.Name!.Trim(), Days = command.ProcessingDays!.Value, Active = Flag.Of(command.Active) };
        var before = await CatalogueStore.FindAsync(uow, command.Code!, CatalogueLanguages.Default, ct);
        await uow.ExecuteAsync(before is not null ? Update : Insert, args, ct);
        var after = (await CatalogueStore.FindAsync(uow, command.Code!, CatalogueLanguages.Default, ct))!;
        await CatalogueHistory.RecordAsync(uow, timeline, context, clock, before, after, ct);
        return new ServiceCategory(command.Code!, args.Name, args.Days, command.Active);
    }
}

public sealed record CaseRegister(string Code, string Name);

public sealed record ListRegisters : IQuery<IReadOnlyList<CaseRegister>>;

public sealed class ListRegistersHandler(UnitOfWork uow) : IQueryHandler<ListRegisters, IReadOnlyList<CaseRegister>>
{
    public async ValueTask<IReadOnlyList<CaseRegister>> Handle(ListRegisters query, CancellationToken ct) =>
        await uow.QueryAsync<CaseRegister>("SELECT code AS Code, name AS Name FROM registers ORDER BY code", null, ct);
}

/// <summary>An admin opens another register (e.g. one for urbanism) with its own yearly numbering.</summary>
public sealed record DefineRegister(string? Code, string? Name) : ICommand<CaseRegister>, IValidatable
{
    public void Validate(Validation v)
    {
        if (v.Required("code", Code, "The code") && (Code!.Length > 20 || !Code.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_')))
            v.Add("code", "The code is up to 20 lower-case letters, digits and underscores, e.g. urbanism.");
        if (v.Required("name", Name, "The name")) v.MaxLength("name", Name, 200, "The name");
    }
}

public sealed class DefineRegisterHandler(UnitOfWork uow, Timeline.Timeline timeline, TimeProvider clock) : ICommandHandler<DefineRegister, CaseRegister>
{
    public async ValueTask<CaseRegister> Handle(DefineRegister command, CancellationToken ct)
    {
        if (await uow.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM registers WHERE code = @Code", new { command.Code }, ct) > 0)
            throw new ConflictException($"A register '{command.Code}' already exists.", "Register exists");
        await uow.ExecuteAsync("INSERT INTO registers (code, name, created_at) VALUES (@Code, @Name, @Now)",
            new { command.Code, Name = command.Name!.Trim(), Now = clock.GetUtcNow().ToUnixTimeMilliseconds() }, ct);
        await timeline.AppendAsync(new TimelineEntry
        {
            Kind = "registry.register_opened", Channel = Channels.System, Summary = $"Register {command.Code} opened: {command.Name!.Trim()}",
        }, ct);
        return new CaseRegister(command.Code!, command.Name.Trim());
    }
}
