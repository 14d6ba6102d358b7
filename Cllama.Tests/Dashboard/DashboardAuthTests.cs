using System.Net;
using System.Text.Json;
using Cllama.Tests.Support;

namespace Cllama.Tests.Dashboard;

public class DashboardAuthTests
{
    const string Token = ProxyFixture.DashboardToken;

    public static TheoryData<string, string> ApiRoutes => new()
    {
        { "GET", "/costs/api" }, { "GET", "/pod/api" }, { "GET", "/providers/api" }, { "GET", "/metrics" },
        { "PUT", "/providers/api/acme" }, { "DELETE", "/providers/api/fake" }, { "HEAD", "/costs/api" },
    };

    public static TheoryData<string, string> HtmlRoutes => new()
    {
        { "GET", "/" }, { "GET", "/pod" }, { "GET", "/costs" }, { "GET", "/assets/common.js" }, { "GET", "/assets/costs.js" },
        { "POST", "/providers" }, { "POST", "/logout" }, { "GET", "/no-such-page" },
    };

    static IEnumerable<DashAuth> BadCredentials() =>
    [
        DashAuth.None,
        new(Bearer: "wrong-token-0123456789abcdef"),
        new(Bearer: Token + "x"),
        new(Bearer: ""),
        new(Cookie: "forged-session-id"),
        new(Cookie: Token),
    ];

    [Theory]
    [MemberData(nameof(ApiRoutes))]
    public async Task Api_routes_answer_401_json_without_the_token(string method, string path)
    {
        await using var f = await ProxyFixture.StartAsync();
        using var client = new DashboardClient(f.DashboardBase);
        foreach (var auth in BadCredentials())
        {
            var reply = await client.SendAsync(method, path, auth, method == "PUT" ? DashboardClient.Json("""{"base_url":"http://x.example"}""") : null,
                ("Origin", client.Origin));
            Assert.Equal(HttpStatusCode.Unauthorized, reply.Status);
            Assert.StartsWith("application/json", reply.Header("content-type"));
            Assert.Contains("Bearer", reply.Header("www-authenticate"));
            if (method != "HEAD")
                Assert.Equal("unauthorized", JsonDocument.Parse(reply.Body).RootElement.GetProperty("error").GetProperty("code").GetString());
        }
        Assert.False(File.Exists(Path.Combine(f.AuthDir, "providers.json.tmp")));
        Assert.NotNull(f.App.Services.Providers.Get("fake"));
        Assert.Null(f.App.Services.Providers.Get("acme"));
    }

    [Theory]
    [MemberData(nameof(HtmlRoutes))]
    public async Task Html_routes_send_the_browser_to_the_login_page_without_the_token(string method, string path)
    {
        await using var f = await ProxyFixture.StartAsync();
        using var client = new DashboardClient(f.DashboardBase);
        foreach (var auth in BadCredentials())
        {
            var reply = await client.SendAsync(method, path, auth,
                method == "POST" ? DashboardClient.Form(("action", "delete"), ("name", "fake")) : null, ("Origin", client.Origin));
            Assert.Equal(HttpStatusCode.SeeOther, reply.Status);
            Assert.Equal("/login", reply.Header("location"));
        }
        Assert.NotNull(f.App.Services.Providers.Get("fake"));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/pod")]
    [InlineData("/costs")]
    [InlineData("/costs/api")]
    [InlineData("/pod/api")]
    [InlineData("/providers/api")]
    [InlineData("/assets/common.js")]
    [InlineData("/assets/charts.js")]
    [InlineData("/assets/style.css")]
    public async Task The_bearer_token_opens_every_route(string path)
    {
        await using var f = await ProxyFixture.StartAsync();
        using var client = new DashboardClient(f.DashboardBase);
        var reply = await client.GetAsync(path, new DashAuth(Bearer: Token));
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("nosniff", reply.Header("x-content-type-options"));
        Assert.Equal("DENY", reply.Header("x-frame-options"));
    }

    [Fact]
    public async Task Only_the_login_page_and_its_stylesheet_are_public()
    {
        await using var f = await ProxyFixture.StartAsync();
        using var client = new DashboardClient(f.DashboardBase);
        var login = await client.GetAsync("/login");
        Assert.Equal(HttpStatusCode.OK, login.Status);
        Assert.Contains("<form", login.Body);
        Assert.Contains("name=\"token\"", login.Body);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/assets/style.css")).Status);
        Assert.Equal(HttpStatusCode.SeeOther, (await client.GetAsync("/assets/providers.js")).Status);
        Assert.Equal(HttpStatusCode.SeeOther, (await client.GetAsync("/assets/providers.html")).Status);
    }

    [Fact]
    public async Task Login_by_form_sets_a_strict_httponly_cookie_that_is_not_the_token()
    {
        await using var f = await ProxyFixture.StartAsync();
        using var client = new DashboardClient(f.DashboardBase);
        var reply = await client.PostFormAsync("/login", DashAuth.None, ("token", Token));
        Assert.Equal(HttpStatusCode.SeeOther, reply.Status);
        Assert.Equal("/", reply.Header("location"));
        string setCookie = reply.Header("set-cookie")!;
        Assert.Contains("HttpOnly", setCookie);
        Assert.Contains("SameSite=Strict", setCookie);
        Assert.Contains("Path=/", setCookie);
        Assert.DoesNotContain(Token, setCookie);
        string session = DashboardClient.SessionCookie(reply)!;
        Assert.True(session.Length >= 40);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/costs/api", new DashAuth(Cookie: session))).Status);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/pod", new DashAuth(Cookie: session))).Status);
    }

    [Fact]
    public async Task Login_by_link_sets_the_cookie_and_redirects_home()
    {
        await using var f = await ProxyFixture.StartAsync();
        using var client = new DashboardClient(f.DashboardBase);
        var reply = await client.GetAsync("/login?token=" + Uri.EscapeDataString(Token));
        Assert.Equal(HttpStatusCode.SeeOther, reply.Status);
        Assert.Equal("/", reply.Header("location"));
        string session = DashboardClient.SessionCookie(reply)!;
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/", new DashAuth(Cookie: session))).Status);
    }

    [Theory]
    [InlineData("")]
    [InlineData("wrong")]
    [InlineData(Token + " extra")]
    public async Task A_wrong_token_shows_the_form_again_and_sets_no_cookie(string token)
    {
        await using var f = await ProxyFixture.StartAsync();
        using var client = new DashboardClient(f.DashboardBase);
        foreach (var reply in new[]
                 {
                     await client.PostFormAsync("/login", DashAuth.None, ("token", token)),
                     await client.GetAsync("/login?token=" + Uri.EscapeDataString(token)),
                 })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, reply.Status);
            Assert.Null(reply.Header("set-cookie"));
            Assert.Contains("not right", reply.Body);
            Assert.Contains("name=\"token\"", reply.Body);
        }
    }

    [Fact]
    public async Task A_cross_origin_login_post_is_refused()
    {
        await using var f = await ProxyFixture.StartAsync();
        using var client = new DashboardClient(f.DashboardBase);
        var reply = await client.SendAsync("POST", "/login", null, DashboardClient.Form(("token", Token)), ("Origin", "http://evil.example"));
        Assert.Equal(HttpStatusCode.Forbidden, reply.Status);
        Assert.Null(reply.Header("set-cookie"));
    }

    [Fact]
    public async Task Logout_ends_the_session_on_the_server()
    {
        await using var f = await ProxyFixture.StartAsync();
        using var client = new DashboardClient(f.DashboardBase);
        var s = await client.LoginAsync(Token);
        var refused = await client.SendAsync("POST", "/logout", s.Auth, DashboardClient.Form(("csrf", s.Csrf)), ("Origin", "http://evil.example"));
        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/pod/api", s.Auth)).Status);

        var reply = await client.PostFormAsync("/logout", s.Auth, ("csrf", s.Csrf));
        Assert.Equal(HttpStatusCode.SeeOther, reply.Status);
        Assert.Equal("/login", reply.Header("location"));
        Assert.Contains("Max-Age=0", reply.Header("set-cookie"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/pod/api", s.Auth)).Status);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/pod")]
    [InlineData("/costs")]
    [InlineData("/login")]
    public async Task Pages_carry_a_strict_csp_and_no_inline_script(string path)
    {
        await using var f = await ProxyFixture.StartAsync();
        using var client = new DashboardClient(f.DashboardBase);
        var reply = await client.GetAsync(path, new DashAuth(Bearer: Token));
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        string csp = reply.Header("content-security-policy")!;
        Assert.Contains("default-src 'self'", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.DoesNotContain("unsafe-eval", csp);
        Assert.Equal("DENY", reply.Header("x-frame-options"));
        Assert.Equal("nosniff", reply.Header("x-content-type-options"));
        Assert.Equal("same-origin", reply.Header("referrer-policy"));
        Assert.Equal("no-store", reply.Header("cache-control"));
        Assert.DoesNotMatch("<script(?![^>]*\\ssrc=\"/assets/)", reply.Body);
        Assert.DoesNotMatch(" on[a-z]+=\"", reply.Body);
        Assert.DoesNotMatch("(src|href)=\"(https?:)?//", reply.Body);
    }

    [Theory]
    [InlineData("/costs/api")]
    [InlineData("/pod/api")]
    [InlineData("/providers/api")]
    public async Task Api_answers_are_never_cached(string path)
    {
        await using var f = await ProxyFixture.StartAsync();
        using var client = new DashboardClient(f.DashboardBase);
        var reply = await client.GetAsync(path, new DashAuth(Bearer: Token));
        Assert.Equal("no-store", reply.Header("cache-control"));
        Assert.StartsWith("application/json", reply.Header("content-type"));
    }

    [Fact]
    public async Task Assets_revalidate_by_etag()
    {
        await using var f = await ProxyFixture.StartAsync();
        using var client = new DashboardClient(f.DashboardBase);
        var auth = new DashAuth(Bearer: Token);
        var first = await client.GetAsync("/assets/charts.js", auth);
        Assert.StartsWith("text/javascript", first.Header("content-type"));
        string etag = first.Header("etag")!;
        var again = await client.SendAsync("GET", "/assets/charts.js", auth, null, ("If-None-Match", etag));
        Assert.Equal(HttpStatusCode.NotModified, again.Status);
        Assert.Equal("", again.Body);
    }

    [Fact]
    public async Task Wrong_methods_and_unknown_paths_are_answered_once_authenticated()
    {
        await using var f = await ProxyFixture.StartAsync();
        using var client = new DashboardClient(f.DashboardBase);
        var auth = new DashAuth(Bearer: Token);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await client.SendAsync("POST", "/costs/api", auth)).Status);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await client.SendAsync("GET", "/providers", auth)).Status);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await client.SendAsync("GET", "/providers/api/fake", auth)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/nope", auth)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/assets/nope.js", auth)).Status);
    }
}
