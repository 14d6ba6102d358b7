using System.Buffers.Binary;
using System.Numerics;

namespace Cllama.Ledger;

/// <summary>
/// CRC-32C (Castagnoli) over ledger frames and snapshots. <see cref="BitOperations.Crc32C(uint, ulong)"/> is one
/// SSE4.2 / ARMv8 instruction per 8 bytes (with a software fallback), so checking a million frames at start-up costs
/// milliseconds and needs no table or package.
/// </summary>
static class Crc32C
{
    public static uint Compute(ReadOnlySpan<byte> data)
    {
        uint crc = ~0u;
        while (data.Length >= 8)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }
        foreach (byte b in data)
            crc = BitOperations.Crc32C(crc, b);
        return ~crc;
    }
}
