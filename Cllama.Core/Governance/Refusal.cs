using System.Text.Json;
using Cllama.Http;

namespace Cllama.Governance;

/// <summary>A request governance turns away: the status, error body fields and headers, in any route's dialect.</summary>
/// <param name="Extra">Fields written inside <c>error</c> after the standard ones (budget figures, allowed models).</param>
public sealed record Refusal(int Status, string Message, string Type, string Code,
    IReadOnlyList<KeyValuePair<string, string>>? Headers = null, Action<Utf8JsonWriter>? Extra = null)
{
    public void Send(HttpResponse response, ErrorDialect dialect) =>
        JsonErrors.Send(response, Status, dialect, Message, Type, Code, Headers, Extra);
}
