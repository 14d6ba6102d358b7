using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Cllama.Tests.Ledger;

/// <summary>
/// The published AOT binary (<c>CLLAMA_BINARY</c>) as a child process serving a given context/auth/state directory
/// on fresh loopback ports. Disposal kills it if it is still running, whatever the test did.
/// </summary>
public sealed class DaemonProcess : IAsyncDisposable
{
    public const string UiToken = "crash-test-ui-token-0123456789";
    readonly Process _process;
    readonly List<string> _stderr = [];
    readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    DaemonProcess(Process process, int apiPort, int uiPort)
    {
        _process = process;
        ApiBase = new Uri($"http://127.0.0.1:{apiPort}/");
        DashboardBase = new Uri($"http://127.0.0.1:{uiPort}/");
    }

    public Uri ApiBase { get; }
    public Uri DashboardBase { get; }
    public int Pid => _process.Id;
    public string Stderr { get { lock (_stderr) return string.Join('\n', _stderr); } }

    /// <summary>The binary under test; the test project never publishes it itself.</summary>
    public static string Binary =>
        Environment.GetEnvironmentVariable("CLLAMA_BINARY") is { Length: > 0 } path
            ? File.Exists(path) ? path : throw new InvalidOperationException($"CLLAMA_BINARY={path} does not exist; run ./build.sh first")
            : throw new InvalidOperationException("CLLAMA_BINARY is not set: run ./build.sh test, or ./build.sh then CLLAMA_BINARY=$PWD/dist/cllama-passthrough dotnet test");

    public static async Task<DaemonProcess> StartAsync(string contextRoot, string authDir, string stateDir)
    {
        int apiPort = FreePort(), uiPort = FreePort();
        var info = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var name in info.Environment.Keys.Where(k => k.StartsWith("CLAW_", StringComparison.Ordinal) || k.StartsWith("CLLAMA_", StringComparison.Ordinal) || k.EndsWith("_API_KEY", StringComparison.Ordinal) || k.EndsWith("_BASE_URL", StringComparison.Ordinal)).ToList())
            info.Environment.Remove(name);
        info.Environment["LISTEN_ADDR"] = $"127.0.0.1:{apiPort}";
        info.Environment["UI_ADDR"] = $"127.0.0.1:{uiPort}";
        info.Environment["CLAW_CONTEXT_ROOT"] = contextRoot;
        info.Environment["CLAW_AUTH_DIR"] = authDir;
        info.Environment["CLAW_STATE_DIR"] = stateDir;
        info.Environment["CLAW_UI_TOKEN"] = UiToken;
        var daemon = new DaemonProcess(new Process { StartInfo = info }, apiPort, uiPort);
        daemon._process.OutputDataReceived += (_, _) => { }; // the request log: drained so the pipe never fills
        daemon._process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                daemon._ready.TrySetException(new InvalidOperationException("the daemon exited before it was ready:\n" + daemon.Stderr));
                return;
            }
            lock (daemon._stderr) daemon._stderr.Add(e.Data);
            if (e.Data.Contains(" ready", StringComparison.Ordinal))
                daemon._ready.TrySetResult();
        };
        daemon._process.Start();
        daemon._process.BeginOutputReadLine();
        daemon._process.BeginErrorReadLine();
        try
        {
            await daemon._ready.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch
        {
            await daemon.DisposeAsync();
            throw;
        }
        return daemon;
    }

    /// <summary>SIGKILL: no chance to flush anything.</summary>
    public Task KillAsync()
    {
        _process.Kill();
        return _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, then the exit code once it has drained and stopped.</summary>
    public async Task<int> TerminateAsync()
    {
        Assert.Equal(0, SendSignal(_process.Id, 15));
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return _process.ExitCode;
    }

    public async Task<string> CostsJsonAsync()
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(DashboardBase, "costs/api"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", UiToken);
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    static extern int SendSignal(int pid, int signal);

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                await _process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
            // never started
        }
        _process.Dispose();
    }
}
