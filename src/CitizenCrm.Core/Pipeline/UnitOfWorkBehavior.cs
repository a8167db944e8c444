using CitizenCrm.Core.Common;
using CitizenCrm.Core.Storage;
using Mediator;

namespace CitizenCrm.Core.Pipeline;

/// <summary>
/// Every command runs in one transaction: its state change, its timeline events and its stored
/// idempotent result commit together or not at all. Queries run without one (SQLite readers
/// then never wait for the writer). Concurrent commands may share one commit (group commit, Storage/GroupCommit.cs);
/// each is still all or nothing.
/// </summary>
public sealed class UnitOfWorkBehavior<TMessage, TResponse>(UnitOfWork uow, CommandScope scope, RequestContext context)
    : IPipelineBehavior<TMessage, TResponse> where TMessage : IMessage
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken ct)
    {
        if (message is not IBaseCommand || uow.InTransaction) return await next(message, ct);

        scope.Start(context.IdempotencyKey is { } key
            ? $"api:{context.Actor}:{typeof(TMessage).Name}:{key}"
            : $"cmd:{Guid.NewGuid():N}");
        return message is ICommitsInBatches
            ? await uow.InTransactionAsync(async () => await next(message, ct), ct)
            : await uow.InSharedCommitAsync(async () => await next(message, ct), ct);
    }
}
