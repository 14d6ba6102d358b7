using System.Net;
using Cllama.App;
using Cllama.Config;
using Cllama.Tests.Agents;
using Cllama.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Cllama.Tests.Dashboard;

/// <summary>The token's life across start-ups, the login link on stderr, and open mode.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DashboardStartupTests : IDisposable
{
    readonly TempDir _dir = new();

    sealed class CapturingFactory : ILoggerFactory
    {
        public CapturingLogger Logger { get; } = new();
        public ILogger CreateLogger(string categoryName) => Logger;
        public void AddProvider(ILoggerProvider provider) { }
        public void Dispose() { }
    }

    ProxyConfig Config(Func<ProxyConfig, ProxyConfig>? change = null)
    {
        var config = ConfigReader.Read(_ => null) with
        {
            Listen = new ListenAddress("127.0.0.1", 0),
            UiListen = new ListenAddress("127.0.0.1", 0),
            ContextRoot = _dir.Combine("context"),
            AuthDir = _dir.Combine("auth"),
            StateDir = _dir.Combine("state"),
        };
        return change?.Invoke(config) ?? config;
    }

    async Task<(string Log, int Port, string Token)> RunOnce(ProxyConfig config)
    {
        var factory = new CapturingFactory();
        await using var app = CllamaApp.Create(config, factory, new LogCapture());
        app.Start();
        string log = string.Join("\n", factory.Logger.Entries.Select(e => $"{e.Level}: {e.Message}"));
        string tokenFile = Path.Combine(config.StateDir, "ui-token");
        return (log, app.DashboardEndPoint.Port, File.Exists(tokenFile) ? File.ReadAllText(tokenFile).Trim() : "");
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Without_CLAW_UI_TOKEN_a_token_is_generated_once_kept_0600_and_its_login_link_logged()
    {
        var first = await RunOnce(Config());
        Assert.Matches("^[0-9a-f]{64}$", first.Token);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_dir.Combine("state", "ui-token")));
        Assert.Contains($"http://127.0.0.1:{first.Port}/login?token={first.Token}", first.Log);

        var second = await RunOnce(Config());
        Assert.Equal(first.Token, second.Token);
        Assert.Contains($"/login?token={first.Token}", second.Log);
    }

    [Fact]
    public async Task The_generated_token_logs_in_and_nothing_else_does()
    {
        var factory = new CapturingFactory();
        await using var app = CllamaApp.Create(Config(), factory, new LogCapture());
        app.Start();
        string token = File.ReadAllText(_dir.Combine("state", "ui-token")).Trim();
        using var client = new DashboardClient(new Uri($"http://127.0.0.1:{app.DashboardEndPoint.Port}/"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/costs/api")).Status);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/costs/api", new DashAuth(Bearer: token))).Status);
        var s = await client.LoginAsync(token);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/pod/api", s.Auth)).Status);
    }

    [Fact]
    public async Task With_CLAW_UI_TOKEN_nothing_is_written_and_the_log_does_not_print_it()
    {
        const string token = "operator-chosen-token-abcdef";
        var run = await RunOnce(Config(c => c with { UiToken = new Secret(token) }));
        Assert.Equal("", run.Token);
        Assert.Contains($"http://127.0.0.1:{run.Port}/login", run.Log);
        Assert.DoesNotContain(token, run.Log);
    }

    [Fact]
    public async Task Auth_none_opens_the_dashboard_with_a_warning_but_still_guards_changes()
    {
        var factory = new CapturingFactory();
        await using var app = CllamaApp.Create(Config(c => c with { UiAuthDisabled = true }), factory, new LogCapture());
        app.Start();
        Assert.Contains(factory.Logger.Warnings, w => w.Contains("CLAW_UI_AUTH=none"));
        Assert.False(File.Exists(_dir.Combine("state", "ui-token")));
        using var client = new DashboardClient(new Uri($"http://127.0.0.1:{app.DashboardEndPoint.Port}/"));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/costs/api")).Status);

        // The page hands out a session so its forms can carry a CSRF token; cross-site posts still fail.
        var page = await client.GetAsync("/");
        string session = DashboardClient.SessionCookie(page)!;
        string csrf = DashboardClient.CsrfOf(page.Body);
        (string, string)[] form = [("csrf", csrf), ("action", "save"), ("name", "acme"), ("base_url", "https://a.example/v1"), ("auth", "none")];
        var forged = await client.SendAsync("POST", "/providers", new DashAuth(Cookie: session), DashboardClient.Form(form), ("Origin", "http://evil.example"));
        Assert.Equal(HttpStatusCode.Forbidden, forged.Status);
        var noCsrf = await client.SendAsync("POST", "/providers", DashAuth.None, DashboardClient.Form(form[1..]), ("Origin", client.Origin));
        Assert.Equal(HttpStatusCode.Forbidden, noCsrf.Status);
        Assert.Null(app.Services.Providers.Get("acme"));
        var ok = await client.PostFormAsync("/providers", new DashAuth(Cookie: session), form);
        Assert.Equal(HttpStatusCode.SeeOther, ok.Status);
        Assert.NotNull(app.Services.Providers.Get("acme"));

        // Scripts may PUT at an address, but not through a host name a DNS-rebinding page could own.
        var rebound = await client.SendAsync("PUT", "/providers/api/evil", null,
            DashboardClient.Json("""{"base_url":"https://evil.example/v1"}"""), ("Host", "rebind.evil.example"));
        Assert.Equal(HttpStatusCode.Forbidden, rebound.Status);
        var script = await client.SendAsync("PUT", "/providers/api/local", null, DashboardClient.Json("""{"base_url":"http://127.0.0.1:11434/v1","auth":"none"}"""));
        Assert.Equal(HttpStatusCode.OK, script.Status);
        Assert.Null(app.Services.Providers.Get("evil"));
    }
}
