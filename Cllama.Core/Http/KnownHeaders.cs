using System.Text;

namespace Cllama.Http;

/// <summary>Header names the server and proxy look at, as shared lower-case strings so parsing them allocates nothing.</summary>
public static class KnownHeaders
{
    public const string Host = "host";
    public const string ContentLength = "content-length";
    public const string TransferEncoding = "transfer-encoding";
    public const string Connection = "connection";
    public const string Expect = "expect";
    public const string Authorization = "authorization";
    public const string XApiKey = "x-api-key";
    public const string ContentType = "content-type";
    public const string AcceptEncoding = "accept-encoding";
    public const string Accept = "accept";
    public const string UserAgent = "user-agent";
    public const string Cookie = "cookie";
    public const string Origin = "origin";
    public const string AnthropicVersion = "anthropic-version";
    public const string AnthropicBeta = "anthropic-beta";

    static readonly string[] s_all =
    [
        Host, ContentLength, TransferEncoding, Connection, Expect, Authorization, XApiKey, ContentType,
        AcceptEncoding, Accept, UserAgent, Cookie, Origin, AnthropicVersion, AnthropicBeta,
    ];

    /// <summary>The interned name when <paramref name="name"/> is a known header (any case), else a new lower-case string.</summary>
    public static string Intern(ReadOnlySpan<byte> name)
    {
        foreach (var known in s_all)
        {
            if (known.Length == name.Length && EqualsIgnoreCaseAscii(name, known))
                return known;
        }
        return string.Create(name.Length, name, static (chars, bytes) => Ascii.ToLower(bytes, chars, out _));
    }

    static bool EqualsIgnoreCaseAscii(ReadOnlySpan<byte> bytes, string lower)
    {
        for (int i = 0; i < bytes.Length; i++)
        {
            int b = bytes[i];
            if (b is >= 'A' and <= 'Z')
                b += 32;
            if (b != lower[i])
                return false;
        }
        return true;
    }
}
