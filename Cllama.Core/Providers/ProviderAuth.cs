namespace Cllama.Providers;

/// <summary>How the real key goes upstream (CONTRACT §4): "bearer", "x-api-key", "none".</summary>
public enum ProviderAuth
{
    Bearer,
    XApiKey,
    None,
}
