using BenchmarkDotNet.Attributes;
using Cllama.Usage;

namespace Cllama.Bench;

/// <summary>
/// The usage tap per SSE event (OperationsPerInvoke = events per stream), in steady state (one tap fed stream after
/// stream: the target is zero bytes allocated) and per whole response (a new tap, its report included).
/// </summary>
[MemoryDiagnoser]
public class UsageTapBenchmarks
{
    byte[][] _openAI = [];
    byte[][] _anthropic = [];
    byte[] _json = [];
    UsageTap _openAITap = null!;
    UsageTap _anthropicTap = null!;

    [GlobalSetup]
    public void Setup()
    {
        _openAI = Samples.OpenAIStream();
        _anthropic = Samples.AnthropicStream();
        _json = Samples.OpenAIJson();
        _openAITap = new UsageTap(UsageDialect.OpenAI, isEventStream: true);
        _anthropicTap = new UsageTap(UsageDialect.Anthropic, isEventStream: true);
    }

    [Benchmark(OperationsPerInvoke = Samples.Events, Description = "OpenAI SSE, per event, steady state")]
    public void OpenAISseSteadyState()
    {
        foreach (var e in _openAI)
            _openAITap.Feed(e);
    }

    [Benchmark(OperationsPerInvoke = Samples.Events, Description = "Anthropic SSE, per event, steady state")]
    public void AnthropicSseSteadyState()
    {
        foreach (var e in _anthropic)
            _anthropicTap.Feed(e);
    }

    [Benchmark(OperationsPerInvoke = Samples.Events, Description = "OpenAI SSE, per event, new tap per response")]
    public long OpenAISseWholeResponse()
    {
        var tap = new UsageTap(UsageDialect.OpenAI, isEventStream: true);
        foreach (var e in _openAI)
            tap.Feed(e);
        tap.Complete();
        return tap.Report.InputTokens;
    }

    [Benchmark(Description = "OpenAI JSON body (2 KiB), one read")]
    public long OpenAIJsonBody()
    {
        var tap = new UsageTap(UsageDialect.OpenAI, isEventStream: false);
        tap.Feed(_json);
        tap.Complete();
        return tap.Report.InputTokens;
    }

    [Benchmark(Description = "OpenAI JSON body (2 KiB), 256-byte reads")]
    public long OpenAIJsonBodySplit()
    {
        var tap = new UsageTap(UsageDialect.OpenAI, isEventStream: false);
        for (int at = 0; at < _json.Length; at += 256)
            tap.Feed(_json.AsSpan(at, Math.Min(256, _json.Length - at)));
        tap.Complete();
        return tap.Report.InputTokens;
    }
}
