using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Herald.Server.Tests.Support;

/// <summary>The app's log lines as written (level, category, message), for scenarios that assert what an operator reads.</summary>
public sealed class LogLines : ILoggerProvider
{
    private readonly ConcurrentQueue<(LogLevel Level, string Category, string Message, Exception? Error)> _lines = new();

    public IReadOnlyList<(LogLevel Level, string Category, string Message)> Lines => _lines.Select(l => (l.Level, l.Category, l.Message)).ToArray();

    /// <summary>The lines with the exception each was logged with, if any.</summary>
    public IReadOnlyList<(LogLevel Level, string Category, string Message, Exception? Error)> Entries => _lines.ToArray();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(LogLines lines, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines._lines.Enqueue((logLevel, category, formatter(state, exception), exception));
    }
}
