using System.Net;
using Cllama.Config;
using Cllama.Governance;
using Cllama.Http;
using Cllama.Ledger;
using Cllama.Proxy;
using Microsoft.Extensions.Logging;

namespace Cllama.Dashboard;

/// <summary>
/// The dashboard listener's router (CONTRACT §8). Only the login page and its stylesheet are public; every other
/// route needs the operator token, and state changes made with a cookie also need the CSRF token and our Origin.
/// </summary>
public sealed partial class DashboardHandler : IHttpHandler
{
    /// <summary>Provider edits and logins are a few hundred bytes; nothing on this port needs more.</summary>
    internal const int MaxBodyBytes = 64 * 1024;

    readonly ProxyConfig _config;
    readonly ProxyServices _services;
    readonly ILogger _logger;
    readonly DashboardAuth _auth;
    readonly UiTokenSource _tokenSource;
    readonly LoginEndpoints _login;
    readonly ProvidersApi _providers;

    public DashboardHandler(ProxyConfig config, ProxyServices services, ILogger logger, TimeProvider? time = null)
    {
        _config = config;
        _services = services;
        _logger = logger;
        Secret? token = null;
        if (!config.UiAuthDisabled)
            (token, _tokenSource) = UiTokenStore.Resolve(config, logger);
        Token = token;
        _auth = new DashboardAuth(token, new SessionStore(time ?? TimeProvider.System));
        _login = new LoginEndpoints(_auth);
        _providers = new ProvidersApi(services.Providers, _auth, logger);
    }

    /// <summary>The operator token, or null when auth is off.</summary>
    public Secret? Token { get; }

    public ValueTask HandleAsync(HttpContext context)
    {
        // A provider change writes providers.json (with an fsync) in place: on the thread pool, not on the socket
        // event thread this request arrived on, so a slow disk holds up this request alone.
        if (context.Request.Method is not ("GET" or "HEAD") && context.Request.Path.StartsWith("/providers", StringComparison.Ordinal))
            return new ValueTask(Task.Run(() => Handle(context)));
        Handle(context);
        return ValueTask.CompletedTask;
    }

    void Handle(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        string path = request.Path;
        bool read = request.Method is "GET" or "HEAD";

        // 1. Public: the login page and the stylesheet it needs.
        if (path == "/login")
        {
            if (context.Body.Length > MaxBodyBytes) DashboardResponses.Error(response, 413, "body too large", "body_too_large");
            else _login.Login(context);
            return;
        }
        if (path == "/assets/style.css" && read)
        {
            DashboardResponses.Asset(request, response, StaticAssets.Get("style.css"));
            return;
        }

        // 2. Everything else needs the operator.
        var caller = _auth.Authenticate(request);
        if (!caller.IsAuthenticated)
        {
            if (IsApi(path)) DashboardResponses.Unauthorized(response);
            else DashboardResponses.Redirect(response, "/login");
            return;
        }
        if (context.Body.Length > MaxBodyBytes)
        {
            DashboardResponses.Error(response, 413, $"body larger than {MaxBodyBytes} bytes", "body_too_large");
            return;
        }

        // 3. Route.
        switch (path)
        {
            case "/" when read: Page(context, caller, DashboardPages.Providers); break;
            case "/pod" when read: Page(context, caller, DashboardPages.Pod); break;
            case "/costs" when read: Page(context, caller, DashboardPages.Costs); break;
            case "/costs/api" when read:
                if (CostsApiWriter.TryParseWindow(request.Query, out var window))
                    DashboardResponses.Json(response, 200, CostsApiWriter.Write(_services.Ledger.Snapshot(window, DateTimeOffset.UtcNow), window));
                else
                    DashboardResponses.Error(response, 400, "window must be 24h, 7d, 30d, month or total", "invalid_window");
                break;
            case "/pod/api" when read:
                DashboardResponses.Json(response, 200,
                    PodApi.Write(_config.Pod, _services.Agents.All, _services.Ledger.Snapshot()));
                break;
            case "/providers/api" when read: _providers.List(context); break;
            case "/metrics" when read:
                response.Send(200, MetricsWriter.ContentType, _services.Governance.MetricsText(_services.Agents.All), [new("Cache-Control", "no-store")]);
                break;
            case "/budgets/api" when read:
                DashboardResponses.Json(response, 200, BudgetsApi.Write(_services.Agents.All, _services.Governance));
                break;
            case "/providers" when request.Method == "POST": _providers.Form(context, caller); break;
            case "/logout": _login.Logout(context, caller); break;
            case "/" or "/pod" or "/costs" or "/costs/api" or "/pod/api" or "/providers/api" or "/metrics" or "/budgets/api":
                Routes.MethodNotAllowed(response, "GET, HEAD");
                break;
            case "/providers":
                Routes.MethodNotAllowed(response, "POST");
                break;
            default:
                RouteByPrefix(context, caller, path, read);
                break;
        }
    }

    void RouteByPrefix(HttpContext context, DashboardCaller caller, string path, bool read)
    {
        const string providerPrefix = "/providers/api/";
        const string assetPrefix = "/assets/";
        var response = context.Response;
        if (path.StartsWith(providerPrefix, StringComparison.Ordinal) && path.Length > providerPrefix.Length)
        {
            string name = Uri.UnescapeDataString(path[providerPrefix.Length..]);
            switch (context.Request.Method)
            {
                case "PUT": _providers.Put(context, caller, name); break;
                case "DELETE": _providers.Delete(context, caller, name); break;
                default: Routes.MethodNotAllowed(response, "PUT, DELETE"); break;
            }
        }
        else if (path.StartsWith(assetPrefix, StringComparison.Ordinal) && read
            && StaticAssets.Find(path[assetPrefix.Length..]) is { } asset && !asset.Name.EndsWith(".html", StringComparison.Ordinal))
            DashboardResponses.Asset(context.Request, response, asset);
        else
            Routes.NotFound(response);
    }

    /// <summary>Open mode still needs a session per browser, to hold the CSRF token its forms send back.</summary>
    void Page(HttpContext context, DashboardCaller caller, string page)
    {
        var session = caller.Session;
        KeyValuePair<string, string>[] extra = [];
        if (session is null && caller.Kind == CallerKind.AuthDisabled)
        {
            session = _auth.Sessions.Create();
            extra = [new("Set-Cookie", DashboardAuth.SetCookie(session))];
        }
        DashboardResponses.Html(context.Response, 200, DashboardPages.Render(page, session), extra);
    }

    static bool IsApi(string path) =>
        path == "/metrics" || path.EndsWith("/api", StringComparison.Ordinal) || path.Contains("/api/", StringComparison.Ordinal);

    /// <summary>Start-up line on stderr: where to log in (CONTRACT §8), or a warning that anyone can.</summary>
    public void AnnounceLogin(IPEndPoint bound)
    {
        string url = $"http://{_config.UiListen.DialHost}:{bound.Port}/login";
        if (Token is null)
            LogAuthDisabled(_logger, $"http://{_config.UiListen.DialHost}:{bound.Port}/");
        else if (_tokenSource == UiTokenSource.Environment)
            LogLoginWithEnvToken(_logger, url);
        else
            LogLoginUrl(_logger, $"{url}?token={Token.Reveal()}",
                _tokenSource == UiTokenSource.Ephemeral ? "until restart" : $"kept in {Path.Combine(_config.StateDir, UiTokenStore.FileName)}");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dashboard auth is OFF (CLAW_UI_AUTH=none): anyone who can reach {Url} can change providers")]
    static partial void LogAuthDisabled(ILogger logger, string url);

    [LoggerMessage(Level = LogLevel.Information, Message = "Dashboard: {Url} (log in with CLAW_UI_TOKEN)")]
    static partial void LogLoginWithEnvToken(ILogger logger, string url);

    [LoggerMessage(Level = LogLevel.Information, Message = "Dashboard login: {Url} (token {Where})")]
    static partial void LogLoginUrl(ILogger logger, string url, string where);
}
