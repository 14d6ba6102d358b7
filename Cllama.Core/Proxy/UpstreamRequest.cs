using System.Net.Http.Headers;
using Cllama.Http;
using Cllama.Providers;

namespace Cllama.Proxy;

static class UpstreamRequest
{
    /// <summary>
    /// URL = provider base URL + the path after <c>/v1</c> + the query; the client's headers minus hop-by-hop and
    /// credentials; the provider's real key in the form its auth mode names.
    /// </summary>
    public static HttpRequestMessage Build(HttpContext ctx, Provider provider, byte[] body, string agentCredential)
    {
        var request = ctx.Request;
        string url = provider.BaseUrl + request.Path["/v1".Length..] + request.Query;
        var message = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Version = System.Net.HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        ProxyHeaders.CopyToUpstream(request.Headers, message, agentCredential);

        var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.TryParse(request.Headers.Get(KnownHeaders.ContentType), out var type)
            ? type
            : new MediaTypeHeaderValue("application/json");
        message.Content = content;

        string key = provider.ApiKey?.Reveal() ?? "";
        switch (provider.Auth)
        {
            case ProviderAuth.Bearer:
                message.Headers.TryAddWithoutValidation("Authorization", "Bearer " + key);
                break;
            case ProviderAuth.XApiKey:
                message.Headers.TryAddWithoutValidation("x-api-key", key);
                if (request.Headers.Get(KnownHeaders.AnthropicVersion) is null)
                    message.Headers.TryAddWithoutValidation("anthropic-version", "2023-06-01");
                break;
        }
        return message;
    }
}
