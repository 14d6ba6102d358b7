using Cllama.Config;

namespace Cllama.Providers;

/// <summary>One provider exactly as providers.json holds it; a null field is absent from the file.</summary>
internal sealed record ProviderFileEntry(string? BaseUrl, Secret? ApiKey, ProviderAuth? Auth, ApiFormat? Format);
