using System.Text;
using Cllama.Usage;

namespace Cllama.Tests.Usage;

public class JsonStringCollapserTests
{
    static string Collapse(string json, int pieceSize)
    {
        var collapser = new JsonStringCollapser();
        var buffer = new PooledBuffer(1 << 20);
        var bytes = Encoding.UTF8.GetBytes(json);
        for (int at = 0; at < bytes.Length; at += pieceSize)
            collapser.Append(bytes.AsSpan(at, Math.Min(pieceSize, bytes.Length - at)), buffer);
        return Encoding.UTF8.GetString(buffer.Span);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(1000)]
    public void Long_strings_become_empty_and_short_ones_stay(int pieceSize)
    {
        string longText = new string('x', JsonStringCollapser.MaxKept + 1);
        string kept = new string('k', JsonStringCollapser.MaxKept);
        string json = $$"""{"a":"{{longText}}","b":"{{kept}}","c":"q\"\\","d":"{{longText}}\"\\\\","e":1}""";
        Assert.Equal($$"""{"a":"","b":"{{kept}}","c":"q\"\\","d":"","e":1}""", Collapse(json, pieceSize));
    }
}
