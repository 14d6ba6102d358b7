namespace Cllama.Tests.Binary;

/// <summary>
/// Finds the published Native AOT binary: <c>CLLAMA_BINARY</c> (set by <c>./build.sh test</c>), else
/// <c>dist/cllama-passthrough</c> beside <c>Cllama.sln</c>. A missing binary fails the test: these tests are the
/// only ones that run the AOT build, so they must never pass by not running.
/// </summary>
public static class BinaryLocator
{
    static readonly Lazy<string> s_path = new(Locate);

    public static string Path => s_path.Value;

    static string Locate()
    {
        string? fromEnv = Environment.GetEnvironmentVariable("CLLAMA_BINARY");
        string candidate = string.IsNullOrEmpty(fromEnv)
            ? System.IO.Path.Combine(RepoRoot(), "dist", "cllama-passthrough")
            : System.IO.Path.GetFullPath(fromEnv);
        if (!File.Exists(candidate))
            throw new FileNotFoundException(
                $"the published binary is missing at {candidate}" +
                (string.IsNullOrEmpty(fromEnv) ? " (CLLAMA_BINARY is unset)" : " (from CLLAMA_BINARY)") +
                ". Run ./build.sh to publish it, or ./build.sh test to publish and test.", candidate);
        return candidate;
    }

    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Cllama.sln")))
                return dir.FullName;
        throw new DirectoryNotFoundException($"no Cllama.sln above {AppContext.BaseDirectory}");
    }
}
