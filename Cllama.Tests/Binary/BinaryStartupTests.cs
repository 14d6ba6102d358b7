using System.Net;
using System.Reflection;
using System.Text.Json;
using Cllama.Config;

namespace Cllama.Tests.Binary;

/// <summary>CONTRACT §1–2 against the published binary: serving, the informational commands, start-up errors.</summary>
public class BinaryStartupTests
{
    static readonly TimeSpan Quick = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Starts_and_answers_health()
    {
        await using var bin = await RunningBinary.StartAsync();
        using var response = await bin.Http.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(doc.RootElement.GetProperty("ok").GetBoolean());
        await bin.Process.Stderr.WaitForAsync(l => l.Contains(" ready"), "the ready line", Quick);
    }

    [Fact]
    public async Task Version_prints_the_product_version()
    {
        using var home = new BinaryHome();
        var (exit, run) = await BinaryProcess.RunToExitAsync(home.Env, Quick, "--version");
        await using var _ = run;
        string expected = typeof(EnvVar).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion.Split('+')[0];
        Assert.Equal(0, exit);
        Assert.Equal([$"cllama-passthrough {expected}"], run.Stdout.Snapshot());
    }

    [Fact]
    public async Task Help_lists_every_variable_with_its_default()
    {
        using var home = new BinaryHome();
        var (exit, run) = await BinaryProcess.RunToExitAsync(home.Env, Quick, "--help");
        await using var _ = run;
        Assert.Equal(0, exit);
        var lines = run.Stdout.Snapshot();
        foreach (var v in EnvVar.All)
        {
            string line = Assert.Single(lines, l => l.TrimStart().StartsWith(v.Name + " ", StringComparison.Ordinal));
            Assert.Contains(v.Default.Length == 0 ? "(empty)" : v.Default, line);
        }
        foreach (var command in new[] { "demo", "healthcheck", "--version", "--help" })
            Assert.Contains(lines, l => l.Contains("cllama-passthrough " + command));
    }

    [Theory]
    [InlineData("LISTEN_ADDR", "bogus")]
    [InlineData("UI_ADDR", "127.0.0.1:99999")]
    [InlineData("CLLAMA_MAX_BODY_BYTES", "lots")]
    [InlineData("CLLAMA_SHUTDOWN_GRACE_MS", "-5")]
    [InlineData("CLAW_UI_AUTH", "maybe")]
    [InlineData("OPENAI_BASE_URL", "ftp://example.invalid")]
    public async Task Invalid_variable_exits_1_naming_it(string name, string value)
    {
        using var home = new BinaryHome();
        home.Env[name] = value;
        var (exit, run) = await BinaryProcess.RunToExitAsync(home.Env, Quick);
        await using var _ = run;
        Assert.Equal(1, exit);
        Assert.Contains(run.Stderr.Snapshot(), l => l.Contains(name + ":"));
        Assert.Empty(run.Stdout.Snapshot());
    }

    [Fact]
    public async Task Unparseable_providers_file_exits_1_naming_the_file()
    {
        using var home = new BinaryHome();
        home.WriteProviders("""{"providers": {"openai": """);
        var (exit, run) = await BinaryProcess.RunToExitAsync(home.Env, Quick);
        await using var _ = run;
        Assert.Equal(1, exit);
        string file = Path.Combine(home.AuthDir, "providers.json");
        Assert.Contains(run.Stderr.Snapshot(), l => l.Contains(file) && l.Contains("JSON"));
        Assert.Empty(run.Stdout.Snapshot());
    }

    [Fact]
    public async Task Missing_directories_are_warned_about_and_serving_goes_on()
    {
        using var home = new BinaryHome();
        home.Env["CLAW_CONTEXT_ROOT"] = Path.Combine(home.Root, "no-such-context");
        home.Env["CLAW_AUTH_DIR"] = Path.Combine(home.Root, "no-such-auth");
        await using var run = BinaryProcess.Start(home.Env);
        var api = await run.EndPointAsync("api");
        await run.WaitHealthyAsync(api);
        await run.Stderr.WaitForAsync(l => l.Contains("warn") && l.Contains("no-such-context"), "the missing-directory warning", Quick);
    }
}
