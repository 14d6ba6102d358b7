using System.Text;

namespace Cllama.Tests.Http;

/// <summary>Seeded mutations of valid requests: bit flips, truncations, inserted CR/LF/NUL, duplicated header lines.</summary>
sealed class RequestMutator(int seed)
{
    readonly Random _rng = new(seed);

    public static readonly string[] Seeds =
    [
        "GET /health HTTP/1.1\r\nHost: t\r\n\r\n",
        "GET /v1/echo?a=1&b=2 HTTP/1.1\r\nHost: t\r\nUser-Agent: fuzz\r\nAccept: */*\r\n\r\n",
        "POST /v1/echo HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: 15\r\n\r\n{\"model\":\"abc\"}",
        "POST /v1/echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n4;x=y\r\nabcd\r\n3\r\nefg\r\n0\r\nT: v\r\n\r\n",
        "POST /v1/echo HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\nbody",
        "GET /health HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
        "HEAD /health HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
        "GET http://t/v1/echo HTTP/1.1\r\nHost: t\r\nX-A: 1\r\nX-B: 2\r\nX-C: 3\r\n\r\n",
    ];

    public int Next(int max) => _rng.Next(max);

    public byte[] Mutate(string seed)
    {
        var bytes = new List<byte>(Encoding.Latin1.GetBytes(seed));
        int operations = _rng.Next(1, 4);
        for (int i = 0; i < operations && bytes.Count > 0; i++)
        {
            int at = _rng.Next(bytes.Count);
            switch (_rng.Next(6))
            {
                case 0:
                    bytes[at] ^= (byte)(1 << _rng.Next(8));
                    break;
                case 1:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 2:
                    bytes.Insert(at, "\r\n\0 :\t"u8[_rng.Next(6)]);
                    break;
                case 3:
                    DuplicateLine(bytes, at);
                    break;
                case 4:
                    bytes.RemoveRange(at, Math.Min(bytes.Count - at, _rng.Next(1, 8)));
                    break;
                default:
                    bytes[at] = (byte)_rng.Next(256);
                    break;
            }
        }
        return bytes.ToArray();
    }

    /// <summary>Copies the line around <paramref name="at"/> (Host, Content-Length, Transfer-Encoding...) right after itself.</summary>
    static void DuplicateLine(List<byte> bytes, int at)
    {
        int start = bytes.LastIndexOf((byte)'\n', at) + 1;
        int end = bytes.IndexOf((byte)'\n', at);
        if (end < 0)
            return;
        bytes.InsertRange(end + 1, bytes.GetRange(start, end + 1 - start));
    }
}
