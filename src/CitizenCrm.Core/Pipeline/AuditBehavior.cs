using CitizenCrm.Core.Common;
using CitizenCrm.Core.Storage;
using Mediator;

namespace CitizenCrm.Core.Pipeline;

/// <summary>
/// Every staff read of a citizen's personal data leaves one audit row per citizen shown, written
/// before the data leaves the core: if the audit cannot be written, nothing is shown.
/// </summary>
public sealed class AuditBehavior<TMessage, TResponse>(UnitOfWork uow, RequestContext context, TimeProvider clock)
    : IPipelineBehavior<TMessage, TResponse> where TMessage : IMessage
{
    private const string Insert = """
        INSERT INTO audit_log (at, actor, actor_role, citizen_id, endpoint, query)
        VALUES (@At, @Actor, @ActorRole, @CitizenId, @Endpoint, @Query)
        """;

    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken ct)
    {
        var response = await next(message, ct);
        if (response is not ICitizenDataResult shown || message is IBaseCommand) return response;

        var at = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var rows = shown.CitizensShown.Distinct().Select(id => new
        {
            At = at,
            context.Actor,
            ActorRole = context.Staff?.Role.ToString().ToLowerInvariant() ?? context.SystemActor,
            CitizenId = id,
            context.Endpoint,
            Query = typeof(TMessage).Name,
        }).ToList();
        if (rows.Count == 0) return response;

        if (uow.InTransaction) await uow.ExecuteAsync(Insert, rows, ct);
        else await uow.InSharedCommitAsync(() => uow.ExecuteAsync(Insert, rows, ct), ct);
        return response;
    }
}
