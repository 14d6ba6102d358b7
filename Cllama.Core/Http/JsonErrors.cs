using System.Buffers;
using System.Text.Json;

namespace Cllama.Http;

/// <summary>The two error dialects clients understand: OpenAI's and Anthropic's.</summary>
public enum ErrorDialect { OpenAI, Anthropic }

/// <summary>Builds error bodies the proxy itself produces, in the dialect of the route that was called.</summary>
public static class JsonErrors
{
    /// <param name="type">OpenAI <c>type</c> / Anthropic <c>error.type</c>, e.g. <c>invalid_request_error</c>.</param>
    /// <param name="code">OpenAI <c>code</c>; Anthropic bodies carry it too, as an extra field SDKs ignore.</param>
    /// <param name="extra">Additional fields written inside <c>error</c> (e.g. budget details).</param>
    public static byte[] Build(ErrorDialect dialect, string message, string type, string? code, Action<Utf8JsonWriter>? extra = null)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            if (dialect == ErrorDialect.Anthropic)
                w.WriteString("type", "error");
            w.WritePropertyName("error");
            w.WriteStartObject();
            if (dialect == ErrorDialect.Anthropic)
            {
                w.WriteString("type", type);
                w.WriteString("message", message);
                if (code is not null)
                    w.WriteString("code", code);
            }
            else
            {
                w.WriteString("message", message);
                w.WriteString("type", type);
                if (code is null) w.WriteNull("code"); else w.WriteString("code", code);
            }
            extra?.Invoke(w);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    public static void Send(HttpResponse response, int status, ErrorDialect dialect, string message, string type, string? code,
        IEnumerable<KeyValuePair<string, string>>? headers = null, Action<Utf8JsonWriter>? extra = null) =>
        response.Send(status, "application/json", Build(dialect, message, type, code, extra), headers);
}
