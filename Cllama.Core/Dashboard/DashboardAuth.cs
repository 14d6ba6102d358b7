using Cllama.Config;
using Cllama.Http;

namespace Cllama.Dashboard;

/// <summary>How a request proved it may use the dashboard.</summary>
public enum CallerKind { Anonymous, Bearer, Cookie, AuthDisabled }

/// <summary>The authenticated caller; <see cref="Session"/> is set for cookie callers (and open-mode browsers).</summary>
public readonly record struct DashboardCaller(CallerKind Kind, DashboardSession? Session)
{
    public bool IsAuthenticated => Kind != CallerKind.Anonymous;
}

/// <summary>
/// The operator-token gate (CONTRACT §8). Scripts send <c>Authorization: Bearer &lt;token&gt;</c>; browsers log in
/// once and carry a random session id in an HttpOnly, SameSite=Strict cookie. Cookie callers must also prove, on
/// every state change, that the request came from our own page: the session's CSRF token and a same-origin
/// Origin (or Referer). Bearer callers need neither, since a browser never attaches that header cross-site.
/// </summary>
public sealed class DashboardAuth(Secret? token, SessionStore sessions)
{
    public const string CookieName = "cllama_session";
    public const string CsrfHeader = "x-csrf-token";

    /// <summary>Null when <c>CLAW_UI_AUTH=none</c>.</summary>
    public bool Disabled => token is null;
    public SessionStore Sessions => sessions;

    public DashboardCaller Authenticate(HttpRequestHead request)
    {
        var session = sessions.Find(Cookies.Get(request.Headers.Get("cookie"), CookieName));
        if (token is null)
            return new(CallerKind.AuthDisabled, session);
        string? authorization = request.Headers.Get("authorization");
        if (authorization is not null)
        {
            // A wrong header is a refusal, never a fallback to the cookie: a script must learn its token is bad.
            const string scheme = "Bearer ";
            bool ok = authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)
                && ConstantTime.Equals(authorization[scheme.Length..].Trim(), token.Reveal());
            return ok ? new(CallerKind.Bearer, null) : default;
        }
        return session is null ? default : new(CallerKind.Cookie, session);
    }

    public bool IsToken(string? presented) =>
        token is null || (presented is not null && ConstantTime.Equals(presented.Trim(), token.Reveal()));

    /// <summary>
    /// Whether <paramref name="caller"/> may change state with this request. <paramref name="presentedCsrf"/> is the
    /// form field or the <c>X-CSRF-Token</c> header. Null means yes; otherwise the reason it may not.
    /// </summary>
    public string? RefuseStateChange(HttpRequestHead request, DashboardCaller caller, string? presentedCsrf)
    {
        if (caller.Kind == CallerKind.Bearer)
            return null;
        if (caller.Kind == CallerKind.AuthDisabled && caller.Session is null && presentedCsrf is null
            && request.Method is "PUT" or "DELETE")
        {
            // Open mode, a script without a session: a cross-site page cannot send PUT/DELETE without a CORS
            // preflight (never answered here), so the only forgery left is DNS rebinding, which needs a host name.
            return OriginCheck.IsAddressHost(request.Headers.Get("host")) ? null
                : "with CLAW_UI_AUTH=none, changes are accepted only at an IP address or localhost";
        }
        if (caller.Session is null)
            return "no dashboard session: open the page again";
        if (presentedCsrf is null || !ConstantTime.Equals(presentedCsrf, caller.Session.Csrf))
            return "missing or wrong CSRF token: reload the page and try again";
        if (!OriginCheck.IsSameOrigin(request))
            return "cross-origin request refused";
        return null;
    }

    public static string SetCookie(DashboardSession session) =>
        $"{CookieName}={session.Id}; Path=/; HttpOnly; SameSite=Strict; Max-Age={(int)SessionStore.Lifetime.TotalSeconds}";

    public static string ClearCookie() => $"{CookieName}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0";
}
