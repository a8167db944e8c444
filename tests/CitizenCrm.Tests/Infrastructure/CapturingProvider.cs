using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace CitizenCrm.Tests.Infrastructure;

/// <summary>
/// Captures every log line of every category, at every level, for the privacy tests: the message, its scopes, and each
/// structured value on its own (a sink such as Seq or a JSON console stores them apart, so a value may leak there
/// even when the message does not show it).
/// </summary>
public sealed class CapturingProvider(ConcurrentQueue<string> lines) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new CapturingLogger(lines, categoryName);

    public void Dispose() { }

    private sealed class CapturingLogger(ConcurrentQueue<string> lines, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull
        {
            lines.Enqueue($"Scope {category}: {state}");
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} | {values} {exception}");
        }
    }
}
