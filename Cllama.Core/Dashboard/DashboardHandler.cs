using Cllama.Config;
using Cllama.Http;
using Cllama.Ledger;
using Cllama.Proxy;

namespace Cllama.Dashboard;

/// <summary>The dashboard listener's router. (Pages and operator auth are added by the dashboard work.)</summary>
public sealed class DashboardHandler(ProxyConfig config, ProxyServices services) : IHttpHandler
{
    public ProxyConfig Config { get; } = config;

    public ValueTask HandleAsync(HttpContext context)
    {
        var request = context.Request;
        switch (request.Path)
        {
            case "/costs/api" when request.Method is "GET":
                if (!CostsApiWriter.TryParseWindow(request.Query, out var window))
                {
                    JsonErrors.Send(context.Response, 400, ErrorDialect.OpenAI, "window must be 24h, 7d, 30d, month or total",
                        "invalid_request_error", "invalid_window");
                    break;
                }
                context.Response.Send(200, "application/json",
                    CostsApiWriter.Write(services.Ledger.Snapshot(window, DateTimeOffset.UtcNow), window), [new("Cache-Control", "no-store")]);
                break;
            case "/costs/api":
                Routes.MethodNotAllowed(context.Response, "GET");
                break;
            default:
                Routes.NotFound(context.Response);
                break;
        }
        return ValueTask.CompletedTask;
    }
}
