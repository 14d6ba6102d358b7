namespace Cllama.Http;

public enum HttpVersion { Http10, Http11 }

/// <summary>How the request body is framed, decided once from the headers.</summary>
public enum BodyFraming { None, ContentLength, Chunked }

/// <summary>A parsed request line and header block. Reused per connection: <see cref="Reset"/> before each parse.</summary>
public sealed class HttpRequestHead
{
    public string Method { get; set; } = "";
    /// <summary>Path part of the target, still percent-encoded, e.g. <c>/v1/chat/completions</c>.</summary>
    public string Path { get; set; } = "";
    /// <summary>Query string including its leading <c>?</c>, or empty.</summary>
    public string Query { get; set; } = "";
    public HttpVersion Version { get; set; }
    public HttpHeaders Headers { get; } = new();

    public BodyFraming Framing { get; set; }
    public long ContentLength { get; set; }
    public bool KeepAlive { get; set; }
    public bool ExpectContinue { get; set; }

    public void Reset()
    {
        Method = Path = Query = "";
        Version = HttpVersion.Http11;
        Headers.Clear();
        Framing = BodyFraming.None;
        ContentLength = 0;
        KeepAlive = false;
        ExpectContinue = false;
    }
}
