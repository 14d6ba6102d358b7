using System.Text;
using Cllama.Http;

namespace Cllama.Dashboard;

/// <summary>The dashboard's response shapes, each with the security headers every answer carries.</summary>
public static class DashboardResponses
{
    /// <summary>
    /// No inline script or style, nothing from other hosts, never framed. <c>Referrer-Policy: same-origin</c>, not
    /// <c>no-referrer</c>: under no-referrer browsers send <c>Origin: null</c> on our own form posts (Fetch
    /// standard), which would defeat the same-origin check; same-origin still sends nothing to other hosts.
    /// </summary>
    static readonly KeyValuePair<string, string>[] s_security =
    [
        new("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"),
        new("X-Frame-Options", "DENY"),
        new("Referrer-Policy", "same-origin"),
        new("X-Content-Type-Options", "nosniff"),
    ];

    static readonly KeyValuePair<string, string> s_noStore = new("Cache-Control", "no-store");

    static List<KeyValuePair<string, string>> Headers(bool noStore, IEnumerable<KeyValuePair<string, string>>? extra = null)
    {
        var headers = new List<KeyValuePair<string, string>>(s_security);
        if (noStore)
            headers.Add(s_noStore);
        if (extra is not null)
            headers.AddRange(extra);
        return headers;
    }

    public static void Json(HttpResponse response, int status, ReadOnlySpan<byte> body) =>
        response.Send(status, "application/json", body, Headers(noStore: true));

    public static void Error(HttpResponse response, int status, string message, string code,
        IEnumerable<KeyValuePair<string, string>>? extra = null) =>
        response.Send(status, "application/json",
            JsonErrors.Build(ErrorDialect.OpenAI, message, status >= 500 ? "server_error" : "invalid_request_error", code),
            Headers(noStore: true, extra));

    public static void Unauthorized(HttpResponse response) =>
        Error(response, 401, "dashboard token required: send Authorization: Bearer <token>, or log in at /login",
            "unauthorized", [new("WWW-Authenticate", "Bearer realm=\"cllama dashboard\"")]);

    public static void Html(HttpResponse response, int status, string html, IEnumerable<KeyValuePair<string, string>>? extra = null) =>
        response.Send(status, "text/html; charset=utf-8", Encoding.UTF8.GetBytes(html), Headers(noStore: true, extra));

    public static void NoContent(HttpResponse response) =>
        response.Send(204, "application/json", [], Headers(noStore: true));

    /// <summary>303 See Other: after a form post the browser GETs the target, so a reload never re-posts.</summary>
    public static void Redirect(HttpResponse response, string location, IEnumerable<KeyValuePair<string, string>>? extra = null) =>
        response.Send(303, "text/plain; charset=utf-8", "See Other"u8,
            Headers(noStore: true, [new("Location", location), .. extra ?? []]));

    /// <summary>Assets are behind the same gate as pages; the browser may cache them but must revalidate (ETag).</summary>
    public static void Asset(HttpRequestHead request, HttpResponse response, StaticAsset asset)
    {
        var headers = Headers(noStore: false, [new("Cache-Control", "private, no-cache"), new("ETag", asset.ETag)]);
        if (request.Headers.Get("if-none-match") == asset.ETag)
        {
            response.StartResponse(304, headers, 0);
            response.Complete();
            return;
        }
        response.Send(200, asset.ContentType, asset.Bytes, headers);
    }
}
