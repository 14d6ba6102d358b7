using System.Text;

namespace Cllama.Http;

/// <summary>The RFC 9110 Date value, formatted at most once a second instead of once per response.</summary>
static class DateHeader
{
    static long s_second = -1;
    static byte[] s_bytes = [];

    public static ReadOnlySpan<byte> Current
    {
        get
        {
            var now = DateTimeOffset.UtcNow;
            long second = now.ToUnixTimeSeconds();
            if (second != Volatile.Read(ref s_second))
            {
                // Racing threads each format the same value; publishing a whole array keeps readers consistent.
                Volatile.Write(ref s_bytes, Encoding.ASCII.GetBytes(now.ToString("r")));
                Volatile.Write(ref s_second, second);
            }
            return Volatile.Read(ref s_bytes);
        }
    }
}
