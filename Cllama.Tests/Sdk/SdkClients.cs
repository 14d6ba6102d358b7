using System.ClientModel;
using System.ClientModel.Primitives;
using Anthropic;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Embeddings;

namespace Cllama.Tests.Sdk;

/// <summary>
/// The official SDKs configured the way an agent would be: base URL pointing at the proxy, the agent token as the
/// API key. Retries are off so a failure shows as itself.
/// </summary>
public static class SdkClients
{
    /// <param name="api">The proxy's API endpoint, e.g. 127.0.0.1:8080.</param>
    static OpenAIClientOptions OpenAIOptions(System.Net.IPEndPoint api, SentRequests? recorder = null)
    {
        var options = new OpenAIClientOptions
        {
            Endpoint = new Uri($"http://{api}/v1"),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = TimeSpan.FromSeconds(30),
        };
        if (recorder is not null)
            options.AddPolicy(recorder, PipelinePosition.BeforeTransport);
        return options;
    }

    public static ChatClient Chat(System.Net.IPEndPoint api, string token, string model, SentRequests? recorder = null) =>
        new(model, new ApiKeyCredential(token), OpenAIOptions(api, recorder));

    public static EmbeddingClient Embeddings(System.Net.IPEndPoint api, string token, string model) =>
        new(model, new ApiKeyCredential(token), OpenAIOptions(api));

    /// <summary>
    /// The Anthropic .NET SDK 13.x sends its ApiKey as <c>Authorization: Bearer</c>; the Python and TypeScript SDKs (and
    /// older .NET ones) send <c>x-api-key</c>. This client presents the token that way instead.
    /// </summary>
    public static AnthropicClient AnthropicWithXApiKey(System.Net.IPEndPoint api, string token) => new(new Anthropic.Core.ClientOptions
    {
        BaseUrl = $"http://{api}",
        ApiKey = null,
        MaxRetries = 0,
        Timeout = TimeSpan.FromSeconds(30),
        ExtraHeaders = new Dictionary<string, string> { ["x-api-key"] = token },
    });

    /// <summary>The Anthropic SDK appends <c>/v1/messages</c> itself, so its base URL is the proxy's root.</summary>
    public static AnthropicClient Anthropic(System.Net.IPEndPoint api, string token) => new()
    {
        BaseUrl = $"http://{api}",
        ApiKey = token,
        MaxRetries = 0,
        Timeout = TimeSpan.FromSeconds(30),
    };
}
