using CitizenCrm.Core.Common;
using Mediator;

namespace CitizenCrm.Core.Pipeline;

public sealed class ValidationBehavior<TMessage, TResponse> : IPipelineBehavior<TMessage, TResponse> where TMessage : IMessage
{
    public ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken ct)
    {
        if (message is IValidatable validatable)
        {
            var v = new Validation();
            validatable.Validate(v);
            v.ThrowIfInvalid();
        }
        return next(message, ct);
    }
}
