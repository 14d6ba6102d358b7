using System.Buffers;
using BenchmarkDotNet.Attributes;
using Cllama.Usage;

namespace Cllama.Bench;

/// <summary>The usage-only chunk filter per SSE event, steady state (one filter, a reused output buffer).</summary>
[MemoryDiagnoser]
public class SseUsageChunkFilterBenchmarks
{
    byte[][] _events = [];
    readonly SseUsageChunkFilter _filter = new();
    readonly ArrayBufferWriter<byte> _output = new(1 << 16);

    [GlobalSetup]
    public void Setup() => _events = Samples.OpenAIStream();

    [Benchmark(OperationsPerInvoke = Samples.Events, Description = "Filter OpenAI SSE, per event")]
    public int Filter()
    {
        _output.ResetWrittenCount();
        foreach (var e in _events)
            _filter.Process(e, _output);
        return _output.WrittenCount;
    }
}
