namespace Cllama.Proxy;

/// <summary>Short unique request ids: a random per-process prefix and a counter, cheap and collision-free.</summary>
static class RequestIds
{
    static readonly string s_prefix = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4));
    static long s_counter;

    public static string Next() => $"req_{s_prefix}{Interlocked.Increment(ref s_counter):x8}";
}
