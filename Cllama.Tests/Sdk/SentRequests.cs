using System.ClientModel.Primitives;
using System.Collections.Concurrent;

namespace Cllama.Tests.Sdk;

/// <summary>
/// An OpenAI SDK pipeline policy that records each request body as the SDK sent it to the proxy, so a test can tell
/// what the client asked for apart from what the proxy forwarded.
/// </summary>
public sealed class SentRequests : PipelinePolicy
{
    public ConcurrentQueue<string> Bodies { get; } = new();

    public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        Record(message);
        ProcessNext(message, pipeline, currentIndex);
    }

    public override async ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        Record(message);
        await ProcessNextAsync(message, pipeline, currentIndex);
    }

    void Record(PipelineMessage message)
    {
        using var buffer = new MemoryStream();
        message.Request.Content?.WriteTo(buffer);
        Bodies.Enqueue(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }
}
