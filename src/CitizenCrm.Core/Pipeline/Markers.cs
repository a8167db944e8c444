using Mediator;

namespace CitizenCrm.Core.Pipeline;

/// <summary>
/// A query that shows citizens' personal data. The audit step writes one row per citizen
/// in <see cref="ICitizenDataResult.CitizensShown"/> before the result leaves the core.
/// </summary>
public interface IPersonalDataQuery<TResponse> : IQuery<TResponse> where TResponse : ICitizenDataResult;

public interface ICitizenDataResult
{
    IEnumerable<Guid> CitizensShown { get; }
}

/// <summary>Commands whose result must not be stored for replay (it holds a secret shown once, e.g. a token).</summary>
public interface INotReplayable
{
    /// <summary>What a retry with the same Idempotency-Key is told instead of the result.</summary>
    string RetryAnswer => "Its result (a PIN or a password) was shown only once and is not kept; issue a new one if it was lost.";
}

/// <summary>
/// A bulk command (a register import) that commits its own work batch by batch: it runs in its scope's own transaction,
/// never in a group commit's shared one, whose savepoints would outlive its intermediate commits.
/// </summary>
public interface ICommitsInBatches;
