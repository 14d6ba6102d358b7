using System.Text.Json;

namespace Cllama.Usage;

/// <summary>
/// Finds usage in a JSON document one token at a time: the top-level <c>usage</c> object, or in an SSE event the
/// one inside the dialect's wrapper (<c>message.usage</c> in Anthropic's <c>message_start</c>, <c>response.usage</c>
/// in the Responses API's <c>response.completed</c>). Usage anywhere else (inside <c>choices</c>, tool output, a nested
/// object) is ignored. The state lives in fields so a document may arrive over many reader windows; with a final
/// block the subtrees that cannot hold usage are skipped whole.
/// </summary>
internal struct UsageScanner
{
    enum Expect : byte { Nothing, Usage, Wrapper, Details, Field }
    enum Field : byte { Input, Output, CacheRead, CacheWrite, Cost }

    // The wrapper property whose usage counts in SSE events; empty for JSON bodies, where only top-level usage does.
    readonly byte[] _wrapper;
    Expect _expect;
    Field _field;
    int _wrapperDepth;
    int _usageDepth;
    int _detailsDepth;
    UsageCounts _current;

    public UsageCounts Total;
    public bool Seen;

    public UsageScanner(UsageDialect dialect, bool isEventStream)
    {
        _wrapper = !isEventStream ? [] : dialect == UsageDialect.Anthropic ? "message"u8.ToArray() : "response"u8.ToArray();
        Total = UsageCounts.Empty;
        StartDocument();
    }

    /// <summary>Forgets where in a document the scanner was; what it found stays in <see cref="Total"/>.</summary>
    public void StartDocument()
    {
        _expect = Expect.Nothing;
        _wrapperDepth = _usageDepth = _detailsDepth = -1;
    }

    /// <summary>Reads tokens until the reader needs more input (or the document ends).</summary>
    public void Run(ref Utf8JsonReader reader)
    {
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    _expect = Classify(ref reader);
                    continue;
                case JsonTokenType.StartObject:
                    Enter(ref reader);
                    break;
                case JsonTokenType.StartArray:
                    if (reader.IsFinalBlock)
                        reader.Skip();
                    break;
                case JsonTokenType.Number when _expect == Expect.Field:
                    Set(ref reader);
                    break;
                case JsonTokenType.EndObject:
                    Leave(reader.CurrentDepth);
                    break;
            }
            _expect = Expect.Nothing;
        }
    }

    Expect Classify(ref Utf8JsonReader reader)
    {
        int depth = reader.CurrentDepth;
        if (_detailsDepth >= 0)
        {
            if (depth != _detailsDepth + 1)
                return Expect.Nothing;
            if (reader.ValueTextEquals("cached_tokens"u8))
                return FieldIs(Field.CacheRead);
            if (reader.ValueTextEquals("cache_write_tokens"u8))
                return FieldIs(Field.CacheWrite);
            return Expect.Nothing;
        }
        if (_usageDepth >= 0)
            return depth == _usageDepth + 1 ? ClassifyUsageField(ref reader) : Expect.Nothing;
        if (_wrapperDepth >= 0)
            return depth == _wrapperDepth + 1 && reader.ValueTextEquals("usage"u8) ? Expect.Usage : Expect.Nothing;
        if (depth != 1)
            return Expect.Nothing;
        if (reader.ValueTextEquals("usage"u8))
            return Expect.Usage;
        return _wrapper.Length > 0 && reader.ValueTextEquals(_wrapper) ? Expect.Wrapper : Expect.Nothing;
    }

    Expect ClassifyUsageField(ref Utf8JsonReader reader)
    {
        if (reader.ValueTextEquals("prompt_tokens"u8) || reader.ValueTextEquals("input_tokens"u8))
            return FieldIs(Field.Input);
        if (reader.ValueTextEquals("completion_tokens"u8) || reader.ValueTextEquals("output_tokens"u8))
            return FieldIs(Field.Output);
        if (reader.ValueTextEquals("cache_read_input_tokens"u8))
            return FieldIs(Field.CacheRead);
        if (reader.ValueTextEquals("cache_creation_input_tokens"u8))
            return FieldIs(Field.CacheWrite);
        if (reader.ValueTextEquals("cost"u8))
            return FieldIs(Field.Cost);
        if (reader.ValueTextEquals("prompt_tokens_details"u8) || reader.ValueTextEquals("input_tokens_details"u8))
            return Expect.Details;
        return Expect.Nothing;
    }

    Expect FieldIs(Field field)
    {
        _field = field;
        return Expect.Field;
    }

    void Enter(ref Utf8JsonReader reader)
    {
        int depth = reader.CurrentDepth;
        switch (_expect)
        {
            case Expect.Usage:
                _usageDepth = depth;
                _current = UsageCounts.Empty;
                break;
            case Expect.Wrapper:
                _wrapperDepth = depth;
                break;
            case Expect.Details:
                _detailsDepth = depth;
                break;
            default:
                if (depth > 0 && reader.IsFinalBlock)
                    reader.Skip();
                break;
        }
    }

    void Leave(int depth)
    {
        if (depth == _detailsDepth)
            _detailsDepth = -1;
        else if (depth == _usageDepth)
        {
            _usageDepth = -1;
            Total.Merge(_current);
            Seen = true;
        }
        else if (depth == _wrapperDepth)
            _wrapperDepth = -1;
    }

    void Set(ref Utf8JsonReader reader)
    {
        if (_field == Field.Cost)
        {
            if (reader.TryGetDecimal(out decimal cost) && cost >= 0)
                _current.Cost = cost;
            return;
        }
        long count;
        if (!reader.TryGetInt64(out count))
        {
            // Some OpenAI-compatible servers write counts as 12.0.
            if (!reader.TryGetDecimal(out decimal d) || d > long.MaxValue)
                return;
            count = (long)d;
        }
        if (count < 0)
            return;
        switch (_field)
        {
            case Field.Input: _current.Input = count; break;
            case Field.Output: _current.Output = count; break;
            case Field.CacheRead: _current.CacheRead = count; break;
            case Field.CacheWrite: _current.CacheWrite = count; break;
        }
    }
}
