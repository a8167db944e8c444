using System.Security.Cryptography;
using System.Text;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Storage;
using Mediator;

namespace CitizenCrm.Core.Pipeline;

/// <summary>
/// A command sent with an Idempotency-Key runs once: its result is stored under the key in the
/// command's own transaction, and a retry gets that result back without running again (no second
/// registration number, no "already exists" on a retry of a create that worked).
/// The same key with a different request is refused rather than silently replayed. A command whose
/// result is a secret shown once runs once too, but its retry is told so instead of seeing the secret again.
/// The key is claimed before the command runs: on a server database two requests with the same key can arrive at once on
/// two nodes, and the second's claim waits for the first to commit (or roll back), then finds its result (or runs).
/// </summary>
public sealed class IdempotencyBehavior<TMessage, TResponse>(UnitOfWork uow, RequestContext context, TimeProvider clock)
    : IPipelineBehavior<TMessage, TResponse> where TMessage : IMessage
{
    private const string Find = "SELECT request_type AS RequestType, request_hash AS RequestHash, response_json AS ResponseJson FROM idempotency_keys WHERE scope_key = @ScopeKey";
    private const string Claim = """
        INSERT INTO idempotency_keys (scope_key, request_type, request_hash, response_json, created_at)
        VALUES (@ScopeKey, @RequestType, @RequestHash, '', @CreatedAt)
        ON CONFLICT (scope_key) DO NOTHING
        """;
    private const string Store = "UPDATE idempotency_keys SET response_json = @ResponseJson WHERE scope_key = @ScopeKey";

    private sealed record StoredResult(string RequestType, string RequestHash, string ResponseJson);

    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken ct)
    {
        if (message is not IBaseCommand || context.IdempotencyKey is not { } key)
            return await next(message, ct);
        var secret = message is INotReplayable;

        var scopeKey = $"{context.Actor}:{key}";
        var requestType = typeof(TMessage).Name;
        var requestHash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Json.Serialize(message))));

        var claimed = await uow.ExecuteAsync(Claim, new
        {
            ScopeKey = scopeKey, RequestType = requestType, RequestHash = requestHash, CreatedAt = clock.GetUtcNow().ToUnixTimeMilliseconds(),
        }, ct) == 1;
        if (!claimed && await uow.QuerySingleOrDefaultAsync<StoredResult>(Find, new { ScopeKey = scopeKey }, ct) is { } stored)
        {
            if (stored.RequestType != requestType || stored.RequestHash != requestHash)
                throw new ConflictException(
                    "This Idempotency-Key was already used for a different request. Use a new key for a new request.",
                    "Idempotency-Key reused");
            if (message is INotReplayable once)
                throw new ConflictException("This request was already carried out. " + once.RetryAnswer, "Already done");
            context.Replayed = true;
            return Json.Deserialize<TResponse>(stored.ResponseJson)!;
        }

        var response = await next(message, ct);
        await uow.ExecuteAsync(Store, new
        {
            ScopeKey = scopeKey,
            // A secret shown once (a new PIN) is never kept, not even for a replay.
            ResponseJson = secret ? "null" : Json.Serialize(response),
        }, ct);
        return response;
    }
}
