using System.Text.Json;
using Cllama.Config;
using Cllama.Providers;
using Cllama.Tests.Agents;

namespace Cllama.Tests.Providers;

/// <summary>A temp auth dir, environment maps and a capturing logger for ProviderRegistry tests.</summary>
public abstract class ProviderRegistryFixture : IDisposable
{
    readonly TempDir _dir = new();
    protected CapturingLogger Log { get; } = new();
    protected Dictionary<string, Secret> EnvKeys { get; } = [];
    protected Dictionary<string, string> EnvUrls { get; } = [];

    protected string AuthDir => _dir.Combine("auth");
    protected string FilePath => Path.Combine(AuthDir, "providers.json");

    protected void WriteFile(string json)
    {
        Directory.CreateDirectory(AuthDir);
        File.WriteAllText(FilePath, json);
    }

    protected ProviderRegistry Load() => ProviderRegistry.Load(AuthDir, EnvKeys, EnvUrls, Log);

    protected JsonElement SavedEntry(string name) => SavedProviders().GetProperty(name);

    protected JsonElement SavedProviders()
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(FilePath));
        return doc.RootElement.GetProperty("providers").Clone();
    }

    public void Dispose()
    {
        _dir.Dispose();
        GC.SuppressFinalize(this);
    }
}
