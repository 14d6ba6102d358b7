using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Cllama.App;

/// <summary>
/// Operational logging: everything to stderr, so stdout carries only the request log. A stderr that stops draining
/// drops lines (counted in a later line) rather than blocking the caller: socket completions run inline on the
/// runtime's event threads, and a blocked logger there would stall every connection they serve.
/// </summary>
public static class Logs
{
    public static ILoggerFactory CreateFactory(LogLevel minimum = LogLevel.Information) =>
        LoggerFactory.Create(builder => builder
            .SetMinimumLevel(minimum)
            .AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
                o.UseUtcTimestamp = true;
            })
            .AddConsole(o =>
            {
                o.LogToStandardErrorThreshold = LogLevel.Trace;
                o.QueueFullMode = ConsoleLoggerQueueFullMode.DropWrite;
            }));
}
