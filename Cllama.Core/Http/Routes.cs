namespace Cllama.Http;

/// <summary>Shared answers for paths and methods nobody serves.</summary>
public static class Routes
{
    public static void NotFound(HttpResponse response) =>
        JsonErrors.Send(response, 404, ErrorDialect.OpenAI, $"no route for this path", "invalid_request_error", "not_found");

    public static void MethodNotAllowed(HttpResponse response, string allow) =>
        JsonErrors.Send(response, 405, ErrorDialect.OpenAI, $"method not allowed; use {allow}", "invalid_request_error",
            "method_not_allowed", [new("Allow", allow)]);
}
