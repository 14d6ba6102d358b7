using System.Net;

namespace Cllama.Http;

/// <summary>What a handler sees of one request: its head, its whole body, the response, and the client's fate.</summary>
public sealed class HttpContext
{
    internal HttpContext(HttpRequestHead request, ReadOnlyMemory<byte> body, HttpResponse response,
        CancellationToken clientGone, EndPoint? remote)
    {
        Request = request;
        Body = body;
        Response = response;
        ClientGone = clientGone;
        RemoteEndPoint = remote;
    }

    public HttpRequestHead Request { get; }
    /// <summary>The request body, already read and de-chunked (bounded by <see cref="HttpLimits.MaxBodyBytes"/>).</summary>
    public ReadOnlyMemory<byte> Body { get; }
    public HttpResponse Response { get; }
    /// <summary>Fires when the client closes or resets its connection.</summary>
    public CancellationToken ClientGone { get; }
    public EndPoint? RemoteEndPoint { get; }
}

/// <summary>Serves requests on one listener.</summary>
public interface IHttpHandler
{
    ValueTask HandleAsync(HttpContext context);
}
