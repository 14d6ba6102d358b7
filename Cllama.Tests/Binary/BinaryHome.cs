namespace Cllama.Tests.Binary;

/// <summary>
/// Everything one binary run may touch, in one temporary directory: context, auth and state directories, and its
/// own TMPDIR and HOME, so a test can check that nothing was written elsewhere. The environment starts empty (no
/// provider keys leak in from the developer's shell) and binds both listeners to free loopback ports.
/// </summary>
public sealed class BinaryHome : IDisposable
{
    public const string UiToken = "binary-test-ui-token-0123456789";

    public BinaryHome()
    {
        Root = Directory.CreateTempSubdirectory("cllama-bin-").FullName;
        foreach (var dir in new[] { ContextRoot, AuthDir, StateDir, TempDir, HomeDir })
            Directory.CreateDirectory(dir);
        Env = new Dictionary<string, string>
        {
            ["LISTEN_ADDR"] = "127.0.0.1:0",
            ["UI_ADDR"] = "127.0.0.1:0",
            ["CLAW_CONTEXT_ROOT"] = ContextRoot,
            ["CLAW_AUTH_DIR"] = AuthDir,
            ["CLAW_STATE_DIR"] = StateDir,
            ["CLAW_UI_TOKEN"] = UiToken,
            ["TMPDIR"] = TempDir,
            ["HOME"] = HomeDir,
        };
    }

    public string Root { get; }
    public string ContextRoot => Path.Combine(Root, "context");
    public string AuthDir => Path.Combine(Root, "auth");
    public string StateDir => Path.Combine(Root, "state");
    public string TempDir => Path.Combine(Root, "tmp");
    public string HomeDir => Path.Combine(Root, "home");
    public Dictionary<string, string> Env { get; }

    public void WriteProviders(string json) => File.WriteAllText(Path.Combine(AuthDir, "providers.json"), json);

    public void WritePricing(string json) => File.WriteAllText(Path.Combine(AuthDir, "pricing.json"), json);

    /// <returns>The token the agent presents.</returns>
    public string AddAgent(string id)
    {
        string token = $"{id}:{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12))}";
        string dir = Directory.CreateDirectory(Path.Combine(ContextRoot, id)).FullName;
        File.WriteAllText(Path.Combine(dir, "metadata.json"), $$"""{"token":"{{token}}","pod":"bin-pod","service":"{{id}}","type":"test"}""");
        return token;
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }
    }
}
