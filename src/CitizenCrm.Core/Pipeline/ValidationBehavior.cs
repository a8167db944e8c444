using CitizenCrm.Core.Common;
using Mediator;

namespace CitizenCrm.Core.Pipeline;

/// <summary>
/// Checks every request once, before a transaction opens: invisible control characters in any text field
/// (<see cref="ControlCharacters"/>), then the request's own rules. All errors are reported together.
/// </summary>
public sealed class ValidationBehavior<TMessage, TResponse> : IPipelineBehavior<TMessage, TResponse> where TMessage : IMessage
{
    public ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken ct)
    {
        var v = new Validation();
        ControlCharacters.Check(message, v);
        if (message is IValidatable validatable) validatable.Validate(v);
        v.ThrowIfInvalid();
        return next(message, ct);
    }
}
