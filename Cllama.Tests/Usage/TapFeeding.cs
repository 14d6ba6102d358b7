using Cllama.Usage;

namespace Cllama.Tests.Usage;

/// <summary>Ways of cutting a response into the reads a relay would see.</summary>
static class TapFeeding
{
    public static UsageReport OneFeed(UsageDialect dialect, bool sse, byte[] body) => InPieces(dialect, sse, body, [body.Length]);

    public static UsageReport ByteAtATime(UsageDialect dialect, bool sse, byte[] body) =>
        InPieces(dialect, sse, body, Enumerable.Repeat(1, body.Length));

    public static UsageReport RandomSplits(UsageDialect dialect, bool sse, byte[] body, int seed, int maxPiece = 40)
    {
        var random = new Random(seed);
        var sizes = new List<int>();
        for (int left = body.Length; left > 0;)
        {
            int n = Math.Min(left, random.Next(0, maxPiece));
            sizes.Add(n); // zero-length feeds included on purpose
            left -= n;
        }
        return InPieces(dialect, sse, body, sizes);
    }

    public static UsageReport InPieces(UsageDialect dialect, bool sse, byte[] body, IEnumerable<int> sizes)
    {
        var tap = new UsageTap(dialect, sse);
        int at = 0;
        foreach (int n in sizes)
        {
            tap.Feed(body.AsSpan(at, n));
            at += n;
        }
        Assert.Equal(body.Length, at);
        tap.Complete();
        return tap.Report;
    }
}
