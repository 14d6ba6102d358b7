using System.Net;
using System.Text;

namespace Cllama.Dashboard;

/// <summary>
/// Fills the few server-side values into the page templates: the session's CSRF token and a one-shot flash
/// message. Everything else on a page is drawn by its script from the JSON endpoints. Values are HTML-encoded.
/// </summary>
public static class DashboardPages
{
    public const string Providers = "providers.html";
    public const string Pod = "pod.html";
    public const string Costs = "costs.html";
    public const string Login = "login.html";

    public static string Render(string page, DashboardSession? session)
    {
        var flash = session?.TakeFlash();
        return Fill(page,
            ("csrf", session?.Csrf ?? ""),
            ("flash", flash?.Message ?? ""),
            ("flash_class", flash is null ? "" : flash.Value.IsError ? "error" : "ok"));
    }

    public static string RenderLogin(string? error) => Fill(Login, ("error", error ?? ""));

    static string Fill(string page, params ReadOnlySpan<(string Name, string Value)> values)
    {
        var html = new StringBuilder(Encoding.UTF8.GetString(StaticAssets.Get(page).Bytes));
        foreach (var (name, value) in values)
            html.Replace("{{" + name + "}}", WebUtility.HtmlEncode(value));
        return html.ToString();
    }
}
