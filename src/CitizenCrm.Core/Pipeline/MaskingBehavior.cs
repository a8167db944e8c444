using CitizenCrm.Core.Common;
using CitizenCrm.Core.DataProtection.Masking;
using CitizenCrm.Core.Storage;
using Mediator;
using Microsoft.Extensions.Logging;

namespace CitizenCrm.Core.Pipeline;

/// <summary>
/// Masks the CNPs and phone numbers of an answer on its way out of the core, unless the caller asked for them
/// (<see cref="NumberDisclosure.Revealed"/>). A revealed answer leaves its own audit row per citizen shown, named
/// "{query}:revealed", beside the ordinary read's row, so a citizen's audit tells a glance from a copied number.
/// It runs outside the idempotency step, so a replayed command's stored answer is masked (or audited) like a fresh one.
/// </summary>
public sealed class MaskingBehavior<TMessage, TResponse>(UnitOfWork uow, RequestContext context, TimeProvider clock,
    ILogger<MaskingBehavior<TMessage, TResponse>> log) : IPipelineBehavior<TMessage, TResponse> where TMessage : IMessage
{
    public const string RevealedSuffix = ":revealed";

    private const string Insert = """
        INSERT INTO audit_log (at, actor, actor_role, citizen_id, endpoint, query)
        VALUES (@At, @Actor, @ActorRole, @CitizenId, @Endpoint, @Query)
        """;

    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken ct)
    {
        var response = await next(message, ct);
        if (response is not IMaskable<TResponse> maskable) return response;
        switch (context.Disclosure)
        {
            case NumberDisclosure.Masked:
                return maskable.Masked();
            case NumberDisclosure.Revealed:
                // Only an answer that really differs from its masked form reveals something (a case whose party left no
                // phone does not): that read alone is the one to account for.
                if (Json.Serialize(maskable.Masked()) != Json.Serialize(response)) await AuditRevealAsync(response, ct);
                return response;
            default:
                return response;
        }
    }

    private async Task AuditRevealAsync(TResponse response, CancellationToken ct)
    {
        var at = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var rows = ((response as ICitizenDataResult)?.CitizensShown ?? []).Distinct().Select(id => new
        {
            At = at,
            context.Actor,
            ActorRole = context.Staff?.Role.ToString().ToLowerInvariant() ?? context.SystemActor,
            CitizenId = id,
            context.Endpoint,
            Query = typeof(TMessage).Name + RevealedSuffix,
        }).ToList();
        if (rows.Count == 0)
        {
            // A contact party who is not a registered citizen (or an import's refused rows) has no citizen id for the
            // audit log, whose rows are per citizen: the reveal is still written down, in the log, without the numbers.
            RevealLog.WithoutCitizen(log, typeof(TMessage).Name, context.Actor, context.Endpoint);
            return;
        }
        if (uow.InTransaction) await uow.ExecuteAsync(Insert, rows, ct);
        else await uow.InSharedCommitAsync(() => uow.ExecuteAsync(Insert, rows, ct), ct);
    }
}

internal static partial class RevealLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "{Query} revealed whole CNPs or phone numbers of no registered citizen to {Actor} ({Endpoint})")]
    public static partial void WithoutCitizen(ILogger logger, string query, string actor, string endpoint);
}
