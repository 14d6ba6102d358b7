using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Cllama.Tests.Dashboard;

/// <summary>How a request authenticates: a bearer token, a session cookie, or nothing.</summary>
public sealed record DashAuth(string? Bearer = null, string? Cookie = null)
{
    public static readonly DashAuth None = new();
}

/// <summary>A logged-in browser session as the server issued it.</summary>
public sealed record DashSession(string Cookie, string Csrf)
{
    public DashAuth Auth => new(Cookie: Cookie);
}

/// <summary>One answer, read whole; header lookup spans response and content headers.</summary>
public sealed record Reply(HttpStatusCode Status, string Body, IReadOnlyDictionary<string, string> Headers)
{
    public string? Header(string name) => Headers.GetValueOrDefault(name.ToLowerInvariant());
}

/// <summary>
/// A plain HTTP client for the dashboard port: no redirects followed, no cookie jar, so each test states exactly
/// which credentials a request carries. Every body it receives is kept, for "no key ever leaks" checks.
/// </summary>
public sealed partial class DashboardClient(Uri dashboardBase) : IDisposable
{
    readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, UseCookies = false });
    readonly List<string> _bodies = [];

    public string Host => $"{dashboardBase.Host}:{dashboardBase.Port}";
    public string Origin => $"http://{Host}";
    public IReadOnlyList<string> Bodies { get { lock (_bodies) return [.. _bodies]; } }

    public async Task<Reply> SendAsync(string method, string path, DashAuth? auth = null, HttpContent? content = null,
        params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(dashboardBase, path)) { Content = content };
        auth ??= DashAuth.None;
        if (auth.Bearer is not null)
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + auth.Bearer);
        if (auth.Cookie is not null)
            request.Headers.TryAddWithoutValidation("Cookie", $"cllama_session={auth.Cookie}");
        foreach (var (name, value) in headers)
            request.Headers.TryAddWithoutValidation(name, value);
        using var response = await _http.SendAsync(request);
        string body = await response.Content.ReadAsStringAsync();
        lock (_bodies) _bodies.Add(body);
        var all = new Dictionary<string, string>();
        foreach (var h in response.Headers.Concat(response.Content.Headers))
            all[h.Key.ToLowerInvariant()] = string.Join(", ", h.Value);
        return new Reply(response.StatusCode, body, all);
    }

    public Task<Reply> GetAsync(string path, DashAuth? auth = null) => SendAsync("GET", path, auth);

    public static FormUrlEncodedContent Form(params (string Name, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>A same-origin form post, as our own page would send it.</summary>
    public Task<Reply> PostFormAsync(string path, DashAuth auth, params (string Name, string Value)[] fields) =>
        SendAsync("POST", path, auth, Form(fields), ("Origin", Origin));

    public async Task<DashSession> LoginAsync(string token)
    {
        var reply = await SendAsync("POST", "/login", null, Form(("token", token)), ("Origin", Origin));
        if (reply.Status != HttpStatusCode.SeeOther)
            throw new InvalidOperationException($"login answered {reply.Status}");
        string cookie = SessionCookie(reply) ?? throw new InvalidOperationException("login set no session cookie");
        var page = await GetAsync("/", new DashAuth(Cookie: cookie));
        return new DashSession(cookie, CsrfOf(page.Body));
    }

    public static string? SessionCookie(Reply reply) =>
        reply.Header("set-cookie") is { } c && CookieValue().Match(c) is { Success: true } m ? m.Groups[1].Value : null;

    public static string CsrfOf(string html) =>
        CsrfMeta().Match(html) is { Success: true } m ? m.Groups[1].Value : throw new InvalidOperationException("page has no CSRF token");

    [GeneratedRegex("cllama_session=([^;]*)")]
    private static partial Regex CookieValue();

    [GeneratedRegex("""<meta name="csrf" content="([^"]*)">""")]
    private static partial Regex CsrfMeta();

    public void Dispose() => _http.Dispose();
}
