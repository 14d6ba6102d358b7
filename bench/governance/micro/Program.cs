using System.Diagnostics;
using System.Text;
using Cllama.Agents;
using Cllama.Costs;
using Cllama.Governance;
using Cllama.Ledger;
using Cllama.Proxy;
using Microsoft.Extensions.Logging.Abstractions;

// Per request, single thread: resolve the policy, match the allowlist, bound the cost, reserve against a ledger
// holding a day of spend (one entry every 42 s), and release. Then the same loop on 2 threads for one agent, the
// contended case (one agent, one lock).
string dir = Directory.CreateTempSubdirectory("cllama-govmicro-").FullName;
try
{
    File.WriteAllText(Path.Combine(dir, "policy.json"),
        """{"defaults":{"budget":{"limit_usd":1000000,"window":"24h"},"models":["fakejson/gpt-4o-*","fakesse/*"]}}""");
    using var ledger = new CostLedger();
    var now = DateTimeOffset.UtcNow;
    for (int i = 0; i < 2000; i++)
    {
        await ledger.RecordAsync(new RequestRecord
        {
            Timestamp = now.AddSeconds(-42 * i), RequestId = "r" + i, AgentId = "bench", Type = "response",
            Provider = "fakejson", UpstreamModel = "gpt-4o-mini", StatusCode = 200, CostUsd = 0.0000153m, Forwarded = true,
        });
    }
    using var governor = new Governor(PolicyRegistry.Load(dir, NullLogger.Instance), new BudgetGate(new LedgerSpend(ledger)), new ProxyMetrics());
    var agent = new Agent("bench", "pod", "bench", "bench", AgentPolicy.None);
    byte[] body = Encoding.UTF8.GetBytes("""{"model":"fakejson/gpt-4o-mini","messages":[{"role":"user","content":"hi"}],"stream":true,"stream_options":{"include_usage":true}}""");
    if (!RequestBody.TryInspect(body, out var info, out _) || !ModelRoute.TryResolve(info.Model!, false, out var route))
        throw new InvalidOperationException("bench body");
    var price = PricingTable.BuiltIn().Lookup("openai", "gpt-4o-mini");

    void Admit()
    {
        var policy = governor.Policy.Resolve(agent);
        if (Governor.CheckModel(policy, route) is not null)
            throw new InvalidOperationException("refused");
        var ticket = governor.Reserve(agent, policy, route, price, "/v1/chat/completions", body, info);
        (ticket.Reservation ?? throw new InvalidOperationException("not admitted")).Dispose();
    }

    const int N = 1_000_000;
    for (int i = 0; i < N / 10; i++)
        Admit();
    var watch = Stopwatch.StartNew();
    for (int i = 0; i < N; i++)
        Admit();
    Console.WriteLine($"admit path, 1 thread: {watch.Elapsed.TotalNanoseconds / N / 1000:F2} us/request");

    watch.Restart();
    Parallel.For(0, 2, _ => { for (int i = 0; i < N / 2; i++) Admit(); });
    Console.WriteLine($"admit path, 2 threads, one agent: {watch.Elapsed.TotalNanoseconds / N / 1000:F2} us/request (wall)");

    watch.Restart();
    for (int i = 0; i < N; i++)
        ledger.SpentUsd("bench", BudgetWindow.Day24h, now);
    Console.WriteLine($"of which ledger SpentUsd(24h): {watch.Elapsed.TotalNanoseconds / N / 1000:F2} us");
}
finally
{
    Directory.Delete(dir, recursive: true);
}
