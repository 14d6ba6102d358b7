using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;

namespace Cllama.Tests.Binary;

/// <summary>
/// One run of the published binary with a given environment, its stdout and stderr collected line by line.
/// Disposing kills it if it is still running, so no test leaves a daemon behind.
/// </summary>
public sealed partial class BinaryProcess : IAsyncDisposable
{
    readonly Process _process;

    BinaryProcess(Process process)
    {
        _process = process;
    }

    public OutputLines Stdout { get; } = new();
    public OutputLines Stderr { get; } = new();
    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;

    public static BinaryProcess Start(IReadOnlyDictionary<string, string> env, params string[] args) =>
        Start(env, workingDirectory: null, args);

    public static BinaryProcess Start(IReadOnlyDictionary<string, string> env, string? workingDirectory, params string[] args) =>
        StartFile(BinaryLocator.Path, env, workingDirectory, args);

    /// <summary>Runs another executable the same way, e.g. the dynamic loader with the binary as its argument.</summary>
    public static BinaryProcess StartFile(string file, IReadOnlyDictionary<string, string> env, string? workingDirectory, params string[] args)
    {
        var psi = new ProcessStartInfo(file)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        psi.Environment.Clear();
        psi.Environment["PATH"] = "/usr/local/bin:/usr/bin:/bin";
        foreach (var (k, v) in env)
            psi.Environment[k] = v;
        var process = new Process { StartInfo = psi };
        var run = new BinaryProcess(process);
        process.OutputDataReceived += (_, e) => run.Stdout.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => run.Stderr.OnLine(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return run;
    }

    /// <summary>Runs a command that ends by itself (--version, healthcheck, a failing start-up) and returns its exit code.</summary>
    public static async Task<(int ExitCode, BinaryProcess Run)> RunToExitAsync(IReadOnlyDictionary<string, string> env, TimeSpan timeout, params string[] args)
    {
        var run = Start(env, args);
        return (await run.WaitForExitAsync(timeout), run);
    }

    /// <summary>The endpoint a listener bound, from its "&lt;name&gt; listening on host:port" line on stderr.</summary>
    public async Task<IPEndPoint> EndPointAsync(string listener, TimeSpan? timeout = null)
    {
        var pattern = new Regex($@"\b{Regex.Escape(listener)} listening on (\S+)$");
        string line = await Stderr.WaitForAsync(pattern.IsMatch, $"'{listener} listening on'", timeout ?? TimeSpan.FromSeconds(15));
        return IPEndPoint.Parse(pattern.Match(line).Groups[1].Value);
    }

    /// <summary>Polls GET /health until it answers 200, within a bounded time.</summary>
    public async Task WaitHealthyAsync(IPEndPoint api, TimeSpan? timeout = null)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(2) };
        long deadline = Environment.TickCount64 + (long)(timeout ?? TimeSpan.FromSeconds(15)).TotalMilliseconds;
        while (true)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"the binary exited ({_process.ExitCode}) before it was healthy:\n{Stderr}");
            try
            {
                using var response = await http.GetAsync($"http://{api}/health");
                if (response.StatusCode == HttpStatusCode.OK)
                    return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            if (Environment.TickCount64 > deadline)
                throw new TimeoutException($"/health on {api} never answered 200:\n{Stderr}");
            await Task.Delay(25);
        }
    }

    public void Signal(int signal) => Posix.Signal(_process.Id, signal);

    public void Terminate() => Signal(Posix.SIGTERM);

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"the binary did not exit within {timeout.TotalSeconds} s:\n{Stderr}");
        }
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException) { } // it was never started or is already gone
        _process.Dispose();
    }
}
