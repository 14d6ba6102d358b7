using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Cllama.Proxy;

public static partial class RequestBody
{
    readonly record struct StreamOptions(int Start, int Length, bool IsObject, int MemberCount, bool IncludeUsage,
        int IncludeUsageStart, int IncludeUsageLength)
    {
        public static readonly StreamOptions Absent = new(-1, 0, false, 0, false, -1, 0);
    }

    /// <summary>Reads the stream_options value the reader is on, noting include_usage and where to splice.</summary>
    static bool TryReadStreamOptions(ref Utf8JsonReader reader, out StreamOptions options, [NotNullWhen(false)] out string? error)
    {
        error = null;
        int start = (int)reader.TokenStartIndex;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            options = new StreamOptions(start, (int)reader.BytesConsumed - start, false, 0, false, -1, 0);
            return true;
        }

        int members = 0, usageStart = -1, usageLength = 0;
        bool includeUsage = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            members++;
            bool isUsage = reader.ValueTextEquals("include_usage"u8);
            if (!isUsage && reader.ValueSpan.Length <= 13 * 6 && reader.GetString()!.Equals("include_usage", StringComparison.OrdinalIgnoreCase))
            {
                options = StreamOptions.Absent;
                return Fail("\"stream_options\" has a case variant of \"include_usage\"", out error);
            }
            reader.Read();
            if (isUsage)
            {
                if (usageStart >= 0)
                {
                    options = StreamOptions.Absent;
                    return Fail("\"stream_options.include_usage\" appears more than once", out error);
                }
                usageStart = (int)reader.TokenStartIndex;
                includeUsage = reader.TokenType == JsonTokenType.True;
                reader.Skip();
                usageLength = (int)reader.BytesConsumed - usageStart;
            }
            else
            {
                reader.Skip();
            }
        }
        options = new StreamOptions(start, (int)reader.BytesConsumed - start, true, members, includeUsage, usageStart, usageLength);
        return true;
    }
}
