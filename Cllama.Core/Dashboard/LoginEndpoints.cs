using Cllama.Http;

namespace Cllama.Dashboard;

/// <summary>
/// <c>GET /login</c> (token form, or <c>?token=</c> from the start-up link), <c>POST /login</c> and <c>POST /logout</c>.
/// A good token buys a fresh server-side session; the cookie holds only its random id.
/// </summary>
public sealed class LoginEndpoints(DashboardAuth auth)
{
    public void Login(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        if (auth.Disabled)
        {
            DashboardResponses.Redirect(response, "/");
            return;
        }
        string? presented;
        if (request.Method is "GET" or "HEAD")
        {
            presented = FormReader.Parse(request.Query)["token"];
            if (presented is null)
            {
                DashboardResponses.Html(response, 200, DashboardPages.RenderLogin(null));
                return;
            }
        }
        else if (request.Method == "POST")
        {
            // Logging in is harmless to forge (one operator, one token), but a page elsewhere has no business
            // testing tokens through the operator's browser.
            if (request.Headers.Get("origin") is not null && !OriginCheck.IsSameOrigin(request))
            {
                DashboardResponses.Error(response, 403, "cross-origin request refused", "cross_origin");
                return;
            }
            presented = FormReader.Parse(context.Body.Span)["token"];
        }
        else
        {
            Routes.MethodNotAllowed(response, "GET, HEAD, POST");
            return;
        }
        if (!auth.IsToken(presented))
        {
            DashboardResponses.Html(response, 401, DashboardPages.RenderLogin("That token is not right."));
            return;
        }
        var session = auth.Sessions.Create();
        DashboardResponses.Redirect(response, "/", [new("Set-Cookie", DashboardAuth.SetCookie(session))]);
    }

    public void Logout(HttpContext context, DashboardCaller caller)
    {
        if (context.Request.Method != "POST")
        {
            Routes.MethodNotAllowed(context.Response, "POST");
            return;
        }
        var form = FormReader.Parse(context.Body.Span);
        if (auth.RefuseStateChange(context.Request, caller, form["csrf"]) is { } refusal)
        {
            DashboardResponses.Error(context.Response, 403, refusal, "csrf");
            return;
        }
        if (caller.Session is not null)
            auth.Sessions.Remove(caller.Session);
        DashboardResponses.Redirect(context.Response, auth.Disabled ? "/" : "/login",
            [new("Set-Cookie", DashboardAuth.ClearCookie())]);
    }
}
