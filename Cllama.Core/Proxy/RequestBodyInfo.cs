namespace Cllama.Proxy;

/// <summary>
/// What <see cref="RequestBody.TryInspect"/> found in a request body, with the byte offsets
/// <see cref="RequestBody.Rewrite"/> splices at. Offsets refer to the exact body that was inspected.
/// </summary>
public sealed class RequestBodyInfo
{
    /// <summary>The top-level "model" string, unescaped; null when the body has none.</summary>
    public string? Model { get; init; }

    /// <summary>Offset of the model's opening quote; -1 without a model.</summary>
    public int ModelStart { get; init; } = -1;

    /// <summary>Length of the model's JSON string token, both quotes included.</summary>
    public int ModelLength { get; init; }

    /// <summary>Top-level <c>"stream": true</c>.</summary>
    public bool Stream { get; init; }

    /// <summary>A top-level "stream_options" key is present (whatever its value).</summary>
    public bool HasStreamOptions { get; init; }

    /// <summary><c>stream_options.include_usage</c> is <c>true</c>.</summary>
    public bool IncludeUsage { get; init; }

    /// <summary>Offset of the stream_options value (its '{' when it is an object); -1 when absent.</summary>
    public int StreamOptionsStart { get; init; } = -1;

    /// <summary>Length of the stream_options value, through its '}' when it is an object.</summary>
    public int StreamOptionsLength { get; init; }

    /// <summary>The output cap the client set: max_tokens, max_completion_tokens or max_output_tokens.</summary>
    public long? MaxTokens { get; init; }

    /// <summary>Which of those keys the body has (null for none); set even when its value is not a whole number.</summary>
    public string? MaxTokensKey { get; init; }

    /// <summary>Offset of the closing '}' of the top-level object.</summary>
    public int ObjectEnd { get; init; }

    /// <summary>Number of top-level members; zero means an insertion needs no leading comma.</summary>
    internal int MemberCount { get; init; }

    internal bool StreamOptionsIsObject { get; init; }

    internal int StreamOptionsMemberCount { get; init; }

    /// <summary>Offset and length of the include_usage value inside stream_options; -1 when absent.</summary>
    internal int IncludeUsageStart { get; init; } = -1;

    internal int IncludeUsageLength { get; init; }
}
