using Cllama.Http;
using Cllama.Providers;
using Microsoft.Extensions.Logging;

namespace Cllama.Dashboard;

/// <summary>
/// Provider changes for scripts (<c>GET /providers/api</c>, <c>PUT</c>/<c>DELETE /providers/api/{name}</c>) and for
/// the page's form (<c>POST /providers</c>). Both paths end in <see cref="ProviderRegistry"/>, which validates and
/// saves atomically; this class checks who is asking and answers without ever echoing a key.
/// </summary>
public sealed partial class ProvidersApi(ProviderRegistry registry, DashboardAuth auth, ILogger logger)
{
    public void List(HttpContext context) =>
        DashboardResponses.Json(context.Response, 200, ProviderJson.WriteList(registry.All));

    public void Put(HttpContext context, DashboardCaller caller, string name)
    {
        var response = context.Response;
        if (auth.RefuseStateChange(context.Request, caller, context.Request.Headers.Get(DashboardAuth.CsrfHeader)) is { } refusal)
        {
            DashboardResponses.Error(response, 403, refusal, "csrf");
            return;
        }
        if (!ProviderJson.TryReadUpdate(context.Body.Span, name, out var update, out var error))
        {
            DashboardResponses.Error(response, 400, error, "invalid_provider");
            return;
        }
        var outcome = Save(name, update);
        if (outcome.Provider is not null)
            DashboardResponses.Json(response, 200, ProviderJson.WriteOne(outcome.Provider));
        else
            DashboardResponses.Error(response, outcome.Status, outcome.Message, outcome.Status == 400 ? "invalid_provider" : "save_failed");
    }

    public void Delete(HttpContext context, DashboardCaller caller, string name)
    {
        var response = context.Response;
        if (auth.RefuseStateChange(context.Request, caller, context.Request.Headers.Get(DashboardAuth.CsrfHeader)) is { } refusal)
        {
            DashboardResponses.Error(response, 403, refusal, "csrf");
            return;
        }
        var outcome = Remove(name);
        if (outcome.Status == 204)
            DashboardResponses.NoContent(response);
        else
            DashboardResponses.Error(response, outcome.Status, outcome.Message, outcome.Status == 404 ? "not_found" : "save_failed");
    }

    /// <summary>The form on <c>/</c>: action=save|delete, then 303 back with the outcome as a one-shot message.</summary>
    public void Form(HttpContext context, DashboardCaller caller)
    {
        var form = FormReader.Parse(context.Body.Span);
        if (auth.RefuseStateChange(context.Request, caller, form["csrf"]) is { } refusal)
        {
            DashboardResponses.Error(context.Response, 403, refusal, "csrf");
            return;
        }
        string name = form["name"]?.Trim() ?? "";
        var outcome = form["action"] switch
        {
            "save" => Save(name, new ProviderUpdate(form["base_url"], form["api_key"], form["auth"], form["api_format"])),
            "delete" => Remove(name),
            var other => new Outcome(null, 400, $"unknown action '{other}' (expected save or delete)"),
        };
        bool ok = outcome.Status < 300;
        if (caller.Session is null)
        {
            // A script posting the form with a bearer token has no page to come back to: answer plainly.
            if (ok) DashboardResponses.Redirect(context.Response, "/");
            else DashboardResponses.Error(context.Response, outcome.Status, outcome.Message, "invalid_provider");
            return;
        }
        caller.Session.SetFlash(outcome.Message, isError: !ok);
        DashboardResponses.Redirect(context.Response, "/");
    }

    /// <summary>What a change came to: the provider (when saved), an HTTP status, and a message for the operator.</summary>
    readonly record struct Outcome(Provider? Provider, int Status, string Message);

    Outcome Save(string name, ProviderUpdate update)
    {
        try
        {
            var change = registry.Upsert(name, update.BaseUrl, update.ApiKey, update.Auth, update.ApiFormat);
            if (!change.Ok)
                return new(null, 400, change.Error);
            var p = change.Provider;
            LogSaved(logger, name, ProviderText.ToText(p.Auth), ProviderText.ToText(p.KeySource), p.MaskedKey ?? "none");
            return new(p, 200, $"{(change.Created ? "Added" : "Saved")} provider '{name}'.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogSaveFailed(logger, name, e.Message);
            return new(null, 500, $"could not save providers.json: {e.Message}");
        }
    }

    Outcome Remove(string name)
    {
        try
        {
            if (!registry.Delete(name))
                return new(null, 404, $"no provider '{name}' in providers.json");
            LogDeleted(logger, name);
            return new(null, 204, $"Deleted provider '{name}'.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogSaveFailed(logger, name, e.Message);
            return new(null, 500, $"could not save providers.json: {e.Message}");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Dashboard: provider {Name} saved (auth {Auth}, key {KeySource} {MaskedKey})")]
    static partial void LogSaved(ILogger logger, string name, string auth, string keySource, string maskedKey);

    [LoggerMessage(Level = LogLevel.Information, Message = "Dashboard: provider {Name} deleted")]
    static partial void LogDeleted(ILogger logger, string name);

    [LoggerMessage(Level = LogLevel.Error, Message = "Dashboard: could not save provider {Name}: {Problem}")]
    static partial void LogSaveFailed(ILogger logger, string name, string problem);
}
