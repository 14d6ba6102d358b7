namespace Cllama.Http;

/// <summary>Every limit the HTTP/1.1 server enforces, each with its reason, in one place.</summary>
public sealed record HttpLimits
{
    /// <summary>8 KiB request line (CRLF included), as nginx's default large_client_header_buffers: longer is 414.</summary>
    public int MaxRequestLineBytes { get; init; } = 8 * 1024;

    /// <summary>64 KiB of header lines (CRLFs and the closing blank line included): ample for real clients, 431 past it.</summary>
    public int MaxHeaderBytes { get; init; } = 64 * 1024;

    /// <summary>100 header fields, as Kestrel's default: more is 431 (hash-flooding and parser-cost bound).</summary>
    public int MaxHeaderCount { get; init; } = 100;

    /// <summary>Largest request body (CLLAMA_MAX_BODY_BYTES): LLM requests with images run to megabytes, not gigabytes.
    /// A body is held in one array, so the value is capped at <see cref="Array.MaxLength"/>.</summary>
    public long MaxBodyBytes { get; init => field = Math.Min(value, Array.MaxLength); } = 32L * 1024 * 1024;

    /// <summary>A chunk-size line with extensions: 4 KiB is far beyond any honest client's.</summary>
    public int MaxChunkLineBytes { get; init; } = 4 * 1024;

    /// <summary>Time a client has, from its first byte, to finish sending request headers (slowloris bound).</summary>
    public TimeSpan HeaderTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long an idle keep-alive connection is kept before it is closed.</summary>
    public TimeSpan KeepAliveTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>After a refusal, how long unread input is drained before closing, so the client reads the error rather
    /// than a reset (nginx's lingering close, shorter).</summary>
    public TimeSpan LingerTimeout { get; init; } = TimeSpan.FromSeconds(2);
}
