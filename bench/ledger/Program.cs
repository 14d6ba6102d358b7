using System.Globalization;
using System.Text;
using Cllama.Bench.Ledger;

// Ledger benchmarks (not tests): durable append throughput, and start-up with a million recorded requests.
//   dotnet run -c Release --project bench/ledger -- --out bench/results/ledger.md [--records 1000000]
//       [--seconds 5] [--dir /path/on/the/disk/to/measure] [--binary dist/cllama-passthrough]
var options = Options.Parse(args);
string root = Directory.CreateDirectory(Path.Combine(options.Dir, $"cllama-ledger-bench-{Environment.ProcessId}")).FullName;
var md = new StringBuilder();
var inv = CultureInfo.InvariantCulture;
try
{
    md.AppendLine("# Ledger benchmarks").AppendLine();
    md.AppendLine(inv, $"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, .NET {Environment.Version}, files in `{options.Dir}` ({FileSystem(options.Dir)}).");
    md.AppendLine("Every append is durable: `RecordAsync` returns after the batch holding it is written and fsynced.").AppendLine();

    md.AppendLine("## Durable append throughput (group commit)").AppendLine();
    md.AppendLine("| writers | records/s | fsyncs/s | records per fsync | p50 latency | p99 latency |");
    md.AppendLine("|---:|---:|---:|---:|---:|---:|");
    await AppendBench.RunAsync(Path.Combine(root, "warmup"), 8, TimeSpan.FromSeconds(1));
    foreach (int writers in new[] { 1, 8, 64 })
    {
        var r = await AppendBench.RunAsync(Path.Combine(root, $"append-{writers}"), writers, TimeSpan.FromSeconds(options.Seconds));
        Console.Error.WriteLine($"append {writers}: {r.PerSecond:F0}/s");
        md.AppendLine(inv, $"| {writers} | {r.PerSecond:N0} | {r.Commits / r.Seconds:N0} | {r.BatchSize:F1} | {r.P50Ms:F2} ms | {r.P99Ms:F2} ms |");
    }

    md.AppendLine().AppendLine(inv, $"## Start-up with {options.Records:N0} recorded requests").AppendLine();
    md.AppendLine("10 agents × 4 models, timestamps spread over the last 30 days (so the minute buckets are full), written through `RecordAsync` by 256 writers.").AppendLine();
    var images = new[]
    {
        await StartupBench.BuildAsync(root, "clean", "after SIGTERM: snapshot only", options.Records, Cllama.Ledger.CostLedger.DefaultCompactEvery, cleanClose: true),
        await StartupBench.BuildAsync(root, "crash", "after kill -9: last snapshot + the log since (default compaction every 100,000)", options.Records, Cllama.Ledger.CostLedger.DefaultCompactEvery, cleanClose: false),
        await StartupBench.BuildAsync(root, "replay", "worst case, no snapshot ever written: every entry replayed from the log", options.Records, int.MaxValue, cleanClose: false),
    };
    StartupBench.TimeOpen(images[0], root, 1); // JIT warm-up
    md.AppendLine("| state on disk | snapshot | log | `CostLedger.Open` (median of 5) | managed heap after | daemon exec → ready (AOT, median of 3) |");
    md.AppendLine("|---|---:|---:|---:|---:|---:|");
    double? emptyReady = options.Binary is null ? null : await DaemonStartBench.MedianReadyMsAsync(options.Binary, null, root, 3);
    foreach (var image in images)
    {
        var (ms, heap, requests) = StartupBench.TimeOpen(image, root, 5);
        if (requests != image.Records)
            throw new InvalidOperationException($"{image.Name}: reopened with {requests} requests, expected {image.Records}");
        string daemon = options.Binary is null ? "n/a" : $"{await DaemonStartBench.MedianReadyMsAsync(options.Binary, image, root, 3):F0} ms";
        Console.Error.WriteLine($"open {image.Name}: {ms:F0} ms");
        md.AppendLine(inv, $"| {image.Description} | {image.SnapshotBytes / 1e6:F1} MB | {image.SegmentBytes / 1e6:F1} MB | {ms:F0} ms | {heap / 1e6:F0} MB | {daemon} |");
    }
    if (emptyReady is double empty)
        md.AppendLine().AppendLine(inv, $"For comparison, the daemon with an empty state directory: exec → ready in {empty:F0} ms.");
    md.AppendLine().AppendLine("Target: a million recorded requests load in under 2 s.");
    File.WriteAllText(options.Out, md.ToString());
    Console.Error.WriteLine($"wrote {options.Out}");
}
finally
{
    Directory.Delete(root, recursive: true);
}

static string FileSystem(string path)
{
    string full = Path.GetFullPath(path);
    var best = DriveInfo.GetDrives().Where(d => full.StartsWith(d.RootDirectory.FullName, StringComparison.Ordinal))
        .MaxBy(d => d.RootDirectory.FullName.Length);
    return best?.DriveFormat ?? "unknown filesystem";
}

sealed record Options(string Out, long Records, int Seconds, string Dir, string? Binary)
{
    public static Options Parse(string[] args)
    {
        string o = "bench/results/ledger.md", dir = Path.GetTempPath();
        long records = 1_000_000;
        int seconds = 5;
        string? binary = null;
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--out": o = args[i + 1]; break;
                case "--records": records = long.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--seconds": seconds = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--dir": dir = args[i + 1]; break;
                case "--binary": binary = Path.GetFullPath(args[i + 1]); break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }
        return new Options(o, records, seconds, dir, binary);
    }
}
