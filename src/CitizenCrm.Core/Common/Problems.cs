namespace CitizenCrm.Core.Common;

/// <summary>An error a clerk can act on. The server turns each kind into an RFC 9457 problem.</summary>
public abstract class CrmException(string title, string detail) : Exception(detail)
{
    public string Title { get; } = title;
    public string Detail => Message;
}

public sealed class NotFoundException(string what, object id)
    : CrmException("Not found", $"No {what} with id {id} exists.");

/// <summary>The request is well formed but conflicts with the current state (a duplicate, an unlawful transition).</summary>
public sealed class ConflictException(string detail, string title = "Conflict") : CrmException(title, detail);

public sealed class ValidationFailedException(IReadOnlyDictionary<string, string[]> errors)
    : CrmException("Some fields need correcting", "One or more fields are not valid: " + string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value).TrimEnd('.')}")) + ".")
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;

    public static ValidationFailedException For(string field, string message) =>
        new(new Dictionary<string, string[]> { [field] = [message] });
}

public sealed class ForbiddenException(string detail) : CrmException("Not allowed", detail);

public sealed class TooManyAttemptsException(string detail, TimeSpan retryAfter) : CrmException("Too many attempts", detail)
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}
