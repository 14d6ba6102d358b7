using Cllama.Config;

namespace Cllama.Providers;

/// <summary>An upstream LLM API as the proxy uses it: defaults, providers.json and the environment merged.</summary>
/// <param name="BaseUrl">Absolute http(s) URL without a trailing '/'; the path after /v1 is appended to it.</param>
public sealed record Provider(string Name, string BaseUrl, Secret? ApiKey, ProviderAuth Auth, ApiFormat Format, KeySource KeySource)
{
    /// <summary>At most the key's last four characters, for the dashboard; null when there is no key.</summary>
    public string? MaskedKey => ApiKey?.Masked;

    /// <summary>The provider needs a key and has none: requests to it are answered 503.</summary>
    public bool IsMissingKey => Auth != ProviderAuth.None && ApiKey is null;
}
