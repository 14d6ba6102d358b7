using System.Security.Cryptography;
using System.Text;

namespace Cllama.Config;

/// <summary>Secret comparison that leaks neither content nor length through timing.</summary>
public static class ConstantTime
{
    /// <summary>
    /// Both sides are hashed first so the comparison always runs over 32 bytes, whatever the lengths;
    /// FixedTimeEquals alone returns early when lengths differ.
    /// </summary>
    public static bool Equals(string a, string b)
    {
        Span<byte> ha = stackalloc byte[32];
        Span<byte> hb = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(a), ha);
        SHA256.HashData(Encoding.UTF8.GetBytes(b), hb);
        return CryptographicOperations.FixedTimeEquals(ha, hb);
    }
}
