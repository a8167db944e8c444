using CitizenCrm.Core.Cases;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.DataProtection.Requests;
using CitizenCrm.Core.Pipeline;
using CitizenCrm.Core.Storage;
using CitizenCrm.Core.Timeline;
using Mediator;
using Microsoft.Extensions.Options;

namespace CitizenCrm.Core.DataProtection.Export;

public static class ExportFormats
{
    public const string Json = "json", Html = "html";
}

/// <summary>
/// A supervisor answers an access request (GDPR art. 15, 20) with everything held about the citizen. The first export
/// completes the request; a later one (the citizen lost the file) is allowed and audited again. Each export leaves an
/// audit row for the citizen (query "ExportCitizenData") and a timeline event, written before the data is read, so the
/// export shows its own reading too.
/// Not replayable: a stored result would be a second copy of the citizen's whole record in the idempotency table.
/// </summary>
public sealed record ExportCitizenData(Guid RequestId, string? Format) : ICommand<CitizenDataExport>, IValidatable, INotReplayable
{
    // A stored export would be a second copy of the citizen's whole record, kept for nothing.
    string INotReplayable.RetryAnswer =>
        "The export was delivered then and is not kept (it would be a second copy of the whole record). To have it again, export again without this Idempotency-Key, or with a new one.";

    public void Validate(Validation v)
    {
        if (Format is not (null or ExportFormats.Json or ExportFormats.Html))
            v.Add("format", "The format is json (the portable file) or html (the same, readable in a browser and printable).");
    }
}

public sealed class ExportCitizenDataHandler(UnitOfWork uow, Timeline.Timeline timeline, RequestContext context, TimeProvider clock,
    IOptions<RegistryOptions> registry) : ICommandHandler<ExportCitizenData, CitizenDataExport>
{
    public const string AuditQuery = "ExportCitizenData";

    private const string Audit = """
        INSERT INTO audit_log (at, actor, actor_role, citizen_id, endpoint, query)
        VALUES (@At, @Actor, @ActorRole, @CitizenId, @Endpoint, @Query)
        """;

    public async ValueTask<CitizenDataExport> Handle(ExportCitizenData command, CancellationToken ct)
    {
        var request = await DataSubjectRequestStore.LoadAsync(uow, command.RequestId, ct);
        if (request.Kind != DataSubjectRequestKinds.Access)
            throw new ConflictException("This is an erasure request: it is answered by erasing the data (POST /api/data-requests/{id}/erase), " +
                                        "not by an export. Use erase.", "Use erase");
        if (request.Status == DataSubjectRequestStatuses.Refused)
            throw new ConflictException("This request was refused: nothing is exported for it. If the citizen asks again, register a new request.", "Request refused");
        await RegisterDataRequestHandler.EnsureNotErasedAsync(uow, request.CitizenId, ct);

        var format = command.Format ?? ExportFormats.Json;
        var now = clock.GetUtcNow();
        var first = request.Status == DataSubjectRequestStatuses.Open;
        await uow.ExecuteAsync(Audit, new
        {
            At = now.ToUnixTimeMilliseconds(), context.Actor,
            ActorRole = context.Staff?.Role.ToString().ToLowerInvariant() ?? context.SystemActor,
            request.CitizenId, context.Endpoint, Query = AuditQuery,
        }, ct);
        if (first)
            await DataSubjectRequestStore.FinishAsync(uow, request.Id, DataSubjectRequestStatuses.Completed,
                $"Copy of the personal data held delivered as {format.ToUpperInvariant()} on {Calendar.LocalDate(now):yyyy-MM-dd} (GDPR art. 15, 20)",
                context.Actor, now, ct);
        await timeline.AppendAsync(new TimelineEntry
        {
            Kind = "citizen.data_exported", Channel = Channels.System, CitizenId = request.CitizenId,
            Summary = first
                ? $"Copy of the citizen's data exported as {format.ToUpperInvariant()}, answering the access request received on {request.ReceivedOn:yyyy-MM-dd}"
                : $"Copy of the citizen's data exported again as {format.ToUpperInvariant()} (access request received on {request.ReceivedOn:yyyy-MM-dd})",
            Payload = new { requestId = request.Id, format, again = !first },
            Facts = new { format, again = !first },
        }, ct);

        return await CitizenDataReader.ReadAsync(uow, request.Id, request.CitizenId, context.Actor, now,
            $"Primăria {registry.Value.CityName}", ct);
    }
}
