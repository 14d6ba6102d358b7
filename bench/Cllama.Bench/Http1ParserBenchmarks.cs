using System.Buffers;
using BenchmarkDotNet.Attributes;
using Cllama.Http;

namespace Cllama.Bench;

/// <summary>Parsing the head of a typical proxied request (OpenAI Python SDK, 18 headers).</summary>
[MemoryDiagnoser]
public class Http1ParserBenchmarks
{
    readonly HttpLimits _limits = new();
    readonly HttpRequestHead _head = new();
    ReadOnlySequence<byte> _bytes;

    [GlobalSetup]
    public void Setup() => _bytes = new ReadOnlySequence<byte>(Samples.RequestHead());

    [Benchmark(Description = "Http1Parser.TryParseHead, SDK chat request")]
    public bool TryParseHead()
    {
        var reader = new SequenceReader<byte>(_bytes);
        return Http1Parser.TryParseHead(ref reader, _limits, _head);
    }
}
