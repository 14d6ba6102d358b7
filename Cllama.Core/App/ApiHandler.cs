using Cllama.Http;

namespace Cllama.App;

/// <summary>The API listener's router: <c>/health</c> and everything under <c>/v1/</c>.</summary>
public sealed class ApiHandler(IHttpHandler proxy) : IHttpHandler
{
    static readonly byte[] s_healthBody = """{"ok":true}"""u8.ToArray();

    public ValueTask HandleAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.Path == "/health")
        {
            if (request.Method is "GET" or "HEAD")
                context.Response.Send(200, "application/json", s_healthBody);
            else
                Routes.MethodNotAllowed(context.Response, "GET, HEAD");
            return ValueTask.CompletedTask;
        }
        if (request.Path.StartsWith("/v1/", StringComparison.Ordinal))
            return proxy.HandleAsync(context);
        Routes.NotFound(context.Response);
        return ValueTask.CompletedTask;
    }
}
