using System.Diagnostics;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace Cllama.Tests.Binary;

/// <summary>
/// What the binary needs from the system, so it runs on distroless/base-debian12 (glibc, OpenSSL, CA certificates;
/// no libstdc++ or libgcc_s, which only distroless/cc adds).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public partial class BinaryLinkageTests(ITestOutputHelper output)
{
    static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    /// <summary>The glibc family: on every glibc system, distroless/base included.</summary>
    static readonly HashSet<string> Glibc =
        ["linux-vdso.so.1", "libc.so.6", "libm.so.6", "libdl.so.2", "libpthread.so.0", "librt.so.1", "ld-linux-x86-64.so.2"];

    /// <summary>Loaded at run time (dlopen) for cryptography, random numbers included; distroless/base ships them.</summary>
    static readonly string[] OpenSsl = ["libssl.so.3", "libcrypto.so.3"];

    static readonly string[] SystemLibDirs = ["/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib64", "/lib", "/usr/lib"];

    [Fact]
    public async Task Ldd_lists_only_glibc_libraries()
    {
        var libraries = await LddAsync();
        output.WriteLine("ldd: " + string.Join(", ", libraries.Select(l => $"{l.Name} => {l.Path ?? "(kernel)"}")));
        Assert.Contains(libraries, l => l.Name == "libc.so.6");
        Assert.All(libraries, l => Assert.Contains(l.Name, Glibc));
    }

    [Fact]
    public async Task Version_runs_with_only_the_libraries_ldd_lists()
    {
        using var root = new BinaryHome();
        string dir = await MinimalLibraryDirAsync(root, withOpenSsl: false);
        await using var run = StartUnderLoader(dir, root.Env, "--version");
        Assert.Equal(0, await run.WaitForExitAsync(Bound));
        Assert.Matches(@"^cllama-passthrough \d+\.\d+\.\d+", Assert.Single(run.Stdout.Snapshot()));
        AssertEverythingLoadedFrom(dir, run);
    }

    [Fact]
    public async Task Serves_with_only_glibc_and_openssl()
    {
        using var root = new BinaryHome();
        string dir = await MinimalLibraryDirAsync(root, withOpenSsl: true);
        await using var run = StartUnderLoader(dir, root.Env);
        await run.WaitHealthyAsync(await run.EndPointAsync("api"));
        run.Terminate();
        Assert.Equal(0, await run.WaitForExitAsync(Bound));
        AssertEverythingLoadedFrom(dir, run);
        foreach (var lib in OpenSsl)
            Assert.Contains(run.Stderr.Snapshot(), l => l.EndsWith("calling init: " + Path.Combine(dir, lib), StringComparison.Ordinal));
    }

    sealed record Library(string Name, string? Path);

    static async Task<List<Library>> LddAsync()
    {
        var psi = new ProcessStartInfo("ldd", BinaryLocator.Path) { RedirectStandardOutput = true, UseShellExecute = false };
        using var ldd = Process.Start(psi)!;
        string text = await ldd.StandardOutput.ReadToEndAsync();
        await ldd.WaitForExitAsync().WaitAsync(Bound);
        Assert.True(ldd.ExitCode == 0, $"ldd failed: {text}");
        var libraries = new List<Library>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var m = LddLine().Match(line);
            Assert.True(m.Success, $"unexpected ldd line: {line}");
            string first = m.Groups["first"].Value;
            string? path = m.Groups["path"].Success ? m.Groups["path"].Value : first.StartsWith('/') ? first : null;
            libraries.Add(new Library(Path.GetFileName(first), path));
        }
        return libraries;
    }

    /// <summary>A directory holding the binary and exactly the libraries it may use, copied (not linked) from the system.</summary>
    static async Task<string> MinimalLibraryDirAsync(BinaryHome root, bool withOpenSsl)
    {
        string dir = Directory.CreateDirectory(Path.Combine(root.Root, "minimal")).FullName;
        File.Copy(BinaryLocator.Path, Path.Combine(dir, "cllama-passthrough"));
        foreach (var lib in await LddAsync())
            if (lib.Path is not null)
                File.Copy(lib.Path, Path.Combine(dir, lib.Name)); // follows the symlink: the real file, under the soname
        if (withOpenSsl)
            foreach (var lib in OpenSsl)
            {
                string? found = SystemLibDirs.Select(d => Path.Combine(d, lib)).FirstOrDefault(File.Exists);
                Assert.True(found is not null, $"{lib} is not installed; the binary loads it at run time (distroless/base has it)");
                File.Copy(found, Path.Combine(dir, lib));
            }
        foreach (var file in Directory.GetFiles(dir))
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return dir;
    }

    /// <summary>Runs the binary through the copied loader with that directory as its only library path (no ld.so.cache).</summary>
    static BinaryProcess StartUnderLoader(string dir, Dictionary<string, string> env, params string[] args)
    {
        var withDebug = new Dictionary<string, string>(env) { ["LD_DEBUG"] = "libs" };
        return BinaryProcess.StartFile(Path.Combine(dir, "ld-linux-x86-64.so.2"), withDebug, null,
            ["--inhibit-cache", "--library-path", dir, Path.Combine(dir, "cllama-passthrough"), .. args]);
    }

    /// <summary>LD_DEBUG=libs names every library the loader initialised; each must come from <paramref name="dir"/>.</summary>
    static void AssertEverythingLoadedFrom(string dir, BinaryProcess run)
    {
        var loaded = run.Stderr.Snapshot().Select(l => InitLine().Match(l)).Where(m => m.Success).Select(m => m.Groups[1].Value).ToList();
        Assert.Contains(Path.Combine(dir, "libc.so.6"), loaded);
        Assert.All(loaded, path => Assert.StartsWith(dir + "/", path));
    }

    [GeneratedRegex(@"^(?<first>\S+)(?: => (?<path>\S+))? \(0x[0-9a-f]+\)$")]
    private static partial Regex LddLine();

    [GeneratedRegex(@"calling init: (\S+)$")]
    private static partial Regex InitLine();
}
