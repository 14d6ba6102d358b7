using System.Buffers;
using Cllama.Http;
using static Cllama.Tests.Http.ParserRun;

namespace Cllama.Tests.Http;

/// <summary>Differential fuzzing: however a mutated head is segmented, the parser reaches the same outcome, and the
/// only exception it ever throws is a rejection.</summary>
public class Http1ParserFuzzTests
{
    static string Outcome(ReadOnlySequence<byte> input, HttpLimits limits)
    {
        try
        {
            return TryParse(input, limits, out var head, out long consumed) ? $"head {consumed}: {Describe(head)}" : "incomplete";
        }
        catch (HttpRejectException e)
        {
            return $"rejected {e.Reason}";
        }
    }

    [Fact]
    public void Mutated_heads_parse_the_same_in_one_segment_split_and_one_byte_per_segment()
    {
        var mutator = new RequestMutator(4242);
        var limits = new HttpLimits { MaxRequestLineBytes = 64, MaxHeaderBytes = 256, MaxHeaderCount = 6, MaxBodyBytes = 10 };
        var outcomes = new HashSet<string>();
        for (int i = 0; i < 5000; i++)
        {
            var bytes = mutator.Mutate(RequestMutator.Seeds[i % RequestMutator.Seeds.Length]);
            var expected = Outcome(Segments.One(bytes), limits);
            Assert.Equal(expected, Outcome(Segments.PerByte(bytes), limits));
            Assert.Equal(expected, Outcome(Segments.SplitAt(bytes, mutator.Next(bytes.Length + 1)), limits));
            outcomes.Add(expected.Split(':')[0]);
        }
        Assert.Contains("incomplete", outcomes);
        Assert.True(outcomes.Count(o => o.StartsWith("rejected", StringComparison.Ordinal)) >= 8, string.Join(", ", outcomes));
    }
}
