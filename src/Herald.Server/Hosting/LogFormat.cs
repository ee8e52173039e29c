using Herald.Server.Http;
using Microsoft.Extensions.Logging.Console;

namespace Herald.Server.Hosting;

/// <summary>
/// The console log format, from <c>Logging:Format</c>: <c>text</c> (the default), one readable line per entry
/// (<c>2026-03-01T12:00:00.000Z info: Category[EventId] message</c>), or <c>json</c>, one JSON object per line for
/// log collectors. Timestamps are UTC with milliseconds in both.
/// </summary>
public static class LogFormat
{
    public const string Setting = "Logging:Format";
    private const string Timestamp = "yyyy-MM-ddTHH:mm:ss.fffZ";

    public static ILoggingBuilder AddHeraldConsole(this ILoggingBuilder logging, IConfiguration configuration)
    {
        var format = configuration[Setting];
        if (string.IsNullOrWhiteSpace(format) || format.Equals("text", StringComparison.OrdinalIgnoreCase))
        {
            logging.AddSimpleConsole(text =>
            {
                text.SingleLine = true;
                text.TimestampFormat = Timestamp + " ";
                text.UseUtcTimestamp = true;
            });
            // The formatter's name in configuration would otherwise win over the one chosen here.
            logging.Services.PostConfigure<ConsoleLoggerOptions>(console => console.FormatterName = ConsoleFormatterNames.Simple);
        }
        else if (format.Equals("json", StringComparison.OrdinalIgnoreCase))
        {
            logging.AddJsonConsole(json =>
            {
                json.IncludeScopes = true;
                json.TimestampFormat = Timestamp;
                json.UseUtcTimestamp = true;
            });
            logging.Services.PostConfigure<ConsoleLoggerOptions>(console => console.FormatterName = ConsoleFormatterNames.Json);
        }
        else
        {
            throw new InvalidSettingException($"{Setting} must be text or json (got '{format}')");
        }
        return logging;
    }
}
