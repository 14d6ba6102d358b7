namespace Cllama.Governance;

/// <summary>How a route is billed, which decides what a budget must reserve for it.</summary>
public enum RequestKind
{
    /// <summary>Not billed (<c>/v1/messages/count_tokens</c>): nothing to reserve.</summary>
    Free,
    /// <summary>Input only (<c>/v1/embeddings</c>): no output tokens, no cap to add.</summary>
    InputOnly,
    /// <summary>Input and generated output: everything else.</summary>
    Generation,
}
