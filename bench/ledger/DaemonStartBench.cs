using System.Diagnostics;

namespace Cllama.Bench.Ledger;

/// <summary>The published binary's time from exec to its "ready" log line, on a given state directory.</summary>
static class DaemonStartBench
{
    public static async Task<double> MedianReadyMsAsync(string binary, StartupBench.Image? image, string scratch, int runs)
    {
        var times = new List<double>();
        for (int run = 0; run < runs; run++)
        {
            string state = Path.Combine(scratch, $"daemon-{run}");
            Directory.CreateDirectory(state);
            if (image is not null)
                StartupBench.CopyLedger(image.StateDir, state);
            times.Add(await ReadyMsAsync(binary, state, scratch));
            Directory.Delete(state, recursive: true);
        }
        times.Sort();
        return times[times.Count / 2];
    }

    static async Task<double> ReadyMsAsync(string binary, string state, string scratch)
    {
        var info = new ProcessStartInfo(binary) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        info.Environment["LISTEN_ADDR"] = "127.0.0.1:0";
        info.Environment["UI_ADDR"] = "127.0.0.1:0";
        info.Environment["CLAW_CONTEXT_ROOT"] = Path.Combine(scratch, "no-context");
        info.Environment["CLAW_AUTH_DIR"] = Path.Combine(scratch, "no-auth");
        info.Environment["CLAW_STATE_DIR"] = state;
        info.Environment["CLAW_UI_TOKEN"] = "bench-token-0123456789";
        var ready = new TaskCompletionSource<double>(TaskCreationOptions.RunContinuationsAsynchronously);
        var clock = Stopwatch.StartNew();
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
                ready.TrySetException(new InvalidOperationException("daemon exited before ready"));
            else if (e.Data.Contains(" ready", StringComparison.Ordinal))
                ready.TrySetResult(clock.Elapsed.TotalMilliseconds);
        };
        process.Start();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            return await ready.Task.WaitAsync(TimeSpan.FromSeconds(60));
        }
        finally
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }
}
