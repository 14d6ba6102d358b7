using System.Text;
using System.Text.Json;

namespace Cllama.Tests.Http;

/// <summary>One response as it came off the wire: status line, headers in order, and the de-chunked body.</summary>
public sealed record RawResponse(string Version, int Status, string Reason, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body)
{
    /// <summary>The first value of a header (case-insensitive name), or null.</summary>
    public string? Header(string name) =>
        Headers.FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;

    public string Text => Encoding.UTF8.GetString(Body);

    public JsonElement Json
    {
        get
        {
            using var doc = JsonDocument.Parse(Body);
            return doc.RootElement.Clone();
        }
    }

    public bool Chunked => Header("Transfer-Encoding")?.Equals("chunked", StringComparison.OrdinalIgnoreCase) == true;

    public bool ConnectionClose => Header("Connection")?.Equals("close", StringComparison.OrdinalIgnoreCase) == true;

    public override string ToString() => $"{Version} {Status} {Reason} ({Body.Length} body bytes)";
}
