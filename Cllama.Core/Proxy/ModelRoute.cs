namespace Cllama.Proxy;

/// <summary>Where a request goes: the provider and the model name it knows.</summary>
public readonly record struct ModelRoute(string Provider, string UpstreamModel)
{
    /// <summary>
    /// <c>provider/model</c> split at the first slash (<c>openrouter/anthropic/claude-sonnet-4</c> → openrouter,
    /// <c>anthropic/claude-sonnet-4</c>). On the Anthropic-native route a bare model goes to <c>anthropic</c>.
    /// </summary>
    public static bool TryResolve(string model, bool anthropicRoute, out ModelRoute route)
    {
        int slash = model.IndexOf('/');
        if (slash > 0 && slash < model.Length - 1)
        {
            route = new ModelRoute(model[..slash], model[(slash + 1)..]);
            return true;
        }
        if (anthropicRoute && slash < 0 && model.Length > 0)
        {
            route = new ModelRoute("anthropic", model);
            return true;
        }
        route = default;
        return false;
    }
}
