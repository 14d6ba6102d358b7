using System.Globalization;
using System.Text;

namespace Cllama.Proxy;

public static partial class RequestBody
{
    /// <summary>
    /// Copies <paramref name="body"/> with only these changes, each spliced at its offset from
    /// <paramref name="info"/> (which must come from inspecting this same body):
    /// the model string becomes <paramref name="newModel"/> (left alone when null or equal, so its original escapes
    /// survive);
    /// with <paramref name="injectIncludeUsage"/>, stream_options.include_usage becomes true (added to the object,
    /// set if false, or the object added); with <paramref name="setMaxTokens"/> and no output cap in the body,
    /// <c>"<paramref name="maxTokensKey"/>":N</c> is added. Insertions go just before a closing '}'.
    /// </summary>
    public static byte[] Rewrite(ReadOnlySpan<byte> body, RequestBodyInfo info, string? newModel, bool injectIncludeUsage,
        long? setMaxTokens, string maxTokensKey = "max_tokens")
    {
        var edits = new List<Edit>(4);
        if (newModel is not null && newModel != info.Model)
        {
            if (info.ModelStart < 0)
                throw new ArgumentException("the body has no model to replace", nameof(info));
            edits.Add(new Edit(info.ModelStart, info.ModelLength, JsonString(newModel)));
        }

        var tail = new StringBuilder();
        if (injectIncludeUsage && !info.IncludeUsage)
        {
            if (!info.HasStreamOptions)
                tail.Append("\"stream_options\":{\"include_usage\":true}");
            else if (!info.StreamOptionsIsObject)
                edits.Add(new Edit(info.StreamOptionsStart, info.StreamOptionsLength, "{\"include_usage\":true}"u8.ToArray()));
            else if (info.IncludeUsageStart >= 0)
                edits.Add(new Edit(info.IncludeUsageStart, info.IncludeUsageLength, "true"u8.ToArray()));
            else
                edits.Add(new Edit(info.StreamOptionsStart + info.StreamOptionsLength - 1, 0,
                    Encoding.UTF8.GetBytes((info.StreamOptionsMemberCount > 0 ? "," : "") + "\"include_usage\":true")));
        }
        if (setMaxTokens is { } cap && info.MaxTokensKey is null)
        {
            if (tail.Length > 0)
                tail.Append(',');
            tail.Append(CultureInfo.InvariantCulture, $"{Encoding.UTF8.GetString(JsonString(maxTokensKey))}:{cap}");
        }
        if (tail.Length > 0)
            edits.Add(new Edit(info.ObjectEnd, 0, Encoding.UTF8.GetBytes((info.MemberCount > 0 ? "," : "") + tail)));

        return Apply(body, edits);
    }

    readonly record struct Edit(int Start, int RemoveLength, byte[] Insert);

    static byte[] Apply(ReadOnlySpan<byte> body, List<Edit> edits)
    {
        edits.Sort((a, b) => a.Start.CompareTo(b.Start));
        var result = new byte[body.Length + edits.Sum(e => e.Insert.Length - e.RemoveLength)];
        int from = 0, to = 0;
        foreach (var e in edits)
        {
            body[from..e.Start].CopyTo(result.AsSpan(to));
            to += e.Start - from;
            e.Insert.CopyTo(result, to);
            to += e.Insert.Length;
            from = e.Start + e.RemoveLength;
        }
        body[from..].CopyTo(result.AsSpan(to));
        return result;
    }

    /// <summary>
    /// A JSON string token with only the escapes JSON requires (quote, backslash, control characters); everything
    /// else is written as UTF-8, so "modèle" stays readable for providers and logs.
    /// </summary>
    internal static byte[] JsonString(string value)
    {
        var sb = new StringBuilder(value.Length + 2).Append('"');
        foreach (char c in value)
        {
            _ = c switch
            {
                '"' => sb.Append("\\\""),
                '\\' => sb.Append("\\\\"),
                '\n' => sb.Append("\\n"),
                '\r' => sb.Append("\\r"),
                '\t' => sb.Append("\\t"),
                < ' ' => sb.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                _ => sb.Append(c),
            };
        }
        return Encoding.UTF8.GetBytes(sb.Append('"').ToString());
    }
}
