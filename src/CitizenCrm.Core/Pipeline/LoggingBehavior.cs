using System.Diagnostics;
using Mediator;
using Microsoft.Extensions.Logging;

namespace CitizenCrm.Core.Pipeline;

/// <summary>Logs the request's name and duration only: request fields may hold a CNP, a PIN or a phone number.</summary>
public sealed class LoggingBehavior<TMessage, TResponse>(ILogger<LoggingBehavior<TMessage, TResponse>> logger)
    : IPipelineBehavior<TMessage, TResponse> where TMessage : IMessage
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await next(message, ct);
            logger.LogDebug("{Request} handled in {Elapsed:F1} ms", typeof(TMessage).Name, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return response;
        }
        catch (Exception ex) when (ex is not Common.CrmException and not OperationCanceledException)
        {
            logger.LogError(ex, "{Request} failed after {Elapsed:F1} ms", typeof(TMessage).Name, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            throw;
        }
    }
}
