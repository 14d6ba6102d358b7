using System.Buffers;
using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Cllama.Tests.Dashboard;

/// <summary>
/// Headless Debian Chromium, remote-controlled through <c>Browser/driver.mjs</c> (playwright-core) in a node child
/// process: one JSON command per line, one answer per line. Playwright's .NET client is not used because it needs
/// reflection-based System.Text.Json, which these test runs switch off to fail the way the AOT binary would.
/// </summary>
public sealed class BrowserDriver : IAsyncDisposable
{
    /// <summary>Longer than any single Playwright step (10 s default), so a stuck browser fails the test, not the run.</summary>
    static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(45);

    readonly Process _node;
    readonly StringBuilder _stderr = new();

    BrowserDriver(Process node)
    {
        _node = node;
        node.ErrorDataReceived += (_, e) => { lock (_stderr) _stderr.AppendLine(e.Data); };
        node.BeginErrorReadLine();
    }

    public static string RepoRoot { get; } = FindRepoRoot();

    public static async Task<BrowserDriver> StartAsync(int width = 1366, int height = 768)
    {
        string dir = Path.Combine(RepoRoot, "Cllama.Tests", "Dashboard", "Browser");
        if (!Directory.Exists(Path.Combine(dir, "node_modules", "playwright-core")))
            throw new InvalidOperationException($"playwright-core is not installed in {dir}: run scripts/test-deps.sh");
        var start = new ProcessStartInfo("node", ["driver.mjs"])
        {
            WorkingDirectory = dir,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var driver = new BrowserDriver(Process.Start(start)!);
        await driver.SendAsync("context", w => { w.WriteNumber("width", width); w.WriteNumber("height", height); });
        return driver;
    }

    /// <summary>Runs one command; a failed command throws with the browser's own message.</summary>
    public async Task<JsonElement> SendAsync(string op, Action<Utf8JsonWriter>? args = null)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("op", op);
            args?.Invoke(w);
            w.WriteEndObject();
        }
        await _node.StandardInput.WriteLineAsync(Encoding.UTF8.GetString(buffer.WrittenSpan));
        await _node.StandardInput.FlushAsync();
        string? line = await _node.StandardOutput.ReadLineAsync().WaitAsync(StepTimeout);
        if (line is null)
            throw new InvalidOperationException($"browser driver exited during '{op}': {Stderr}");
        using var answer = JsonDocument.Parse(line);
        var root = answer.RootElement;
        if (!root.GetProperty("ok").GetBoolean())
            throw new InvalidOperationException($"browser '{op}' failed: {root.GetProperty("error").GetString()}");
        return root.GetProperty("value").Clone();
    }

    public Task<JsonElement> SendAsync(string op, string name, string value) => SendAsync(op, w => w.WriteString(name, value));

    public async Task<int> GotoAsync(string url) => (await SendAsync("goto", "url", url)).GetProperty("status").GetInt32();
    public async Task<string> UrlAsync() => (await SendAsync("url")).GetString()!;
    public Task FillAsync(string selector, string value) => SendAsync("fill", w => { w.WriteString("selector", selector); w.WriteString("value", value); });
    public Task SelectAsync(string selector, string value) => SendAsync("select", w => { w.WriteString("selector", selector); w.WriteString("value", value); });
    public Task SubmitAsync(string selector) => SendAsync("submit", "selector", selector);
    public Task ClickAsync(string selector) => SendAsync("click", "selector", selector);
    public async Task<string> TextAsync(string selector) => (await SendAsync("text", "selector", selector)).GetString()!;
    public async Task<int> CountAsync(string selector) => (await SendAsync("count", "selector", selector)).GetInt32();
    public Task WaitForAsync(string selector) => SendAsync("waitFor", "selector", selector);
    public Task WaitForTextAsync(string selector, string text) => SendAsync("waitForText", w => { w.WriteString("selector", selector); w.WriteString("text", text); });
    public async Task<string> HtmlAsync() => (await SendAsync("html")).GetString()!;
    public Task<JsonElement> EvalAsync(string expression) => SendAsync("eval", "expression", expression);
    public Task<JsonElement> CookiesAsync() => SendAsync("cookies");
    public Task ViewportAsync(int width, int height) => SendAsync("viewport", w => { w.WriteNumber("width", width); w.WriteNumber("height", height); });
    public Task ColorSchemeAsync(string scheme) => SendAsync("colorScheme", "scheme", scheme);
    public Task ScreenshotAsync(string path) => SendAsync("screenshot", "path", path);

    /// <summary>Console errors and warnings (CSP violations among them), page errors and failed loads since the last call.</summary>
    public async Task<string[]> ProblemsAsync() =>
        [.. (await SendAsync("problems")).EnumerateArray().Select(e => e.GetString()!)];

    string Stderr
    {
        get { lock (_stderr) return _stderr.ToString(); }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _node.StandardInput.WriteLineAsync("""{"op":"close"}""");
            await _node.StandardInput.FlushAsync();
            await _node.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception e) when (e is IOException or TimeoutException)
        {
            _node.Kill(entireProcessTree: true);
        }
        _node.Dispose();
    }

    static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Cllama.sln")))
                return dir.FullName;
        throw new InvalidOperationException("Cllama.sln not found above " + AppContext.BaseDirectory);
    }
}
