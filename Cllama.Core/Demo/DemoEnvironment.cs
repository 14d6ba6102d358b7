using System.Security.Cryptography;
using System.Text;

namespace Cllama.Demo;

/// <summary>
/// The demo's world, all inside one temporary directory: three agents of pod trading-desk with fresh random tokens,
/// and a providers.json pointing every provider at the in-process fake. Deleted on dispose.
/// </summary>
public sealed class DemoEnvironment : IDisposable
{
    public static readonly string[] AgentIds = ["tiverton", "westin", "allen"];
    public const string Pod = "trading-desk";

    DemoEnvironment(string root, IReadOnlyDictionary<string, string> tokens)
    {
        Root = root;
        Tokens = tokens;
    }

    public string Root { get; }
    public string ContextRoot => Path.Combine(Root, "context");
    public string AuthDir => Path.Combine(Root, "auth");
    public string StateDir => Path.Combine(Root, "state");
    /// <summary>Agent id → the bearer token it presents.</summary>
    public IReadOnlyDictionary<string, string> Tokens { get; }

    public static DemoEnvironment Create(string fakeProviderBaseUrl)
    {
        string root = Directory.CreateTempSubdirectory("cllama-demo-").FullName;
        var tokens = new Dictionary<string, string>();
        foreach (var id in AgentIds)
        {
            string dir = Directory.CreateDirectory(Path.Combine(root, "context", id)).FullName;
            string token = $"{id}:{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))}";
            tokens[id] = token;
            File.WriteAllText(Path.Combine(dir, "metadata.json"),
                $$"""{"token":"{{token}}","pod":"{{Pod}}","service":"{{id}}","type":"openclaw"}""");
            File.WriteAllText(Path.Combine(dir, "AGENTS.md"), $"# {id}\n\nDemo trading agent.\n");
        }
        Directory.CreateDirectory(Path.Combine(root, "auth"));
        Directory.CreateDirectory(Path.Combine(root, "state"));
        var providers = new StringBuilder("{\"providers\":{");
        providers.Append($$"""
            "openai":{"base_url":"{{fakeProviderBaseUrl}}","api_key":"sk-demo-openai-000000000000","auth":"bearer"},
            "anthropic":{"base_url":"{{fakeProviderBaseUrl}}","api_key":"sk-ant-demo-0000000000000","auth":"x-api-key","api_format":"anthropic"},
            "openrouter":{"base_url":"{{fakeProviderBaseUrl}}","api_key":"sk-or-demo-openrouter-00000","auth":"bearer"},
            "ollama":{"base_url":"{{fakeProviderBaseUrl}}","auth":"none"}
            """);
        providers.Append("}}");
        string providersFile = Path.Combine(root, "auth", "providers.json");
        File.WriteAllText(providersFile, providers.ToString());
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(providersFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return new DemoEnvironment(root, tokens);
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
