using System.Buffers.Binary;
using Cllama.Costs;

namespace Cllama.Ledger;

/// <summary>
/// One ledger entry as a log frame: <c>u32 payload length | u32 CRC-32C of the payload | payload</c>, little-endian.
/// Payload: version byte (1), i64 unix ms, request id, agent, provider, upstream model (varint length + UTF-8),
/// tokens in, out, cached (zig-zag varints), flags (1 partial, 2 priced), the cost if priced (scale/sign byte +
/// 96-bit integer as varints), cost source byte, status varint. About 60–90 bytes; no text parsing at start-up.
/// </summary>
static class EntryCodec
{
    public const int FrameHeaderSize = 8;
    const byte Version = 1;
    const byte PartialFlag = 1, PricedFlag = 2;

    public static void WriteFrame(ByteWriter w, in LedgerEntry e)
    {
        int header = w.Reserve(FrameHeaderSize);
        int start = w.Length;
        w.WriteByte(Version);
        w.WriteInt64(e.TimestampMs);
        w.WriteString(e.RequestId);
        w.WriteString(e.AgentId);
        w.WriteString(e.Provider);
        w.WriteString(e.UpstreamModel);
        w.WriteSigned(e.TokensIn);
        w.WriteSigned(e.TokensOut);
        w.WriteSigned(e.CachedTokens);
        w.WriteByte((byte)((e.Partial ? PartialFlag : 0) | (e.CostUsd is null ? 0 : PricedFlag)));
        if (e.CostUsd is decimal cost)
            w.WriteDecimal(cost);
        w.WriteByte((byte)e.CostSource);
        w.WriteVarint((uint)e.StatusCode);
        var payload = w.Slice(start, w.Length - start);
        var head = w.Slice(header, FrameHeaderSize);
        BinaryPrimitives.WriteUInt32LittleEndian(head, (uint)payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(head[4..], Crc32C.Compute(payload));
    }

    /// <summary>
    /// The size of the whole, intact frame at the start of <paramref name="data"/>, or 0 when there is none: too short,
    /// a length running past the end, or a CRC mismatch (a torn or never-finished write).
    /// </summary>
    public static int TryReadFrame(ReadOnlySpan<byte> data, out ReadOnlySpan<byte> payload)
    {
        payload = default;
        if (data.Length < FrameHeaderSize)
            return 0;
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(data);
        if (length == 0 || length > (uint)(data.Length - FrameHeaderSize))
            return 0;
        var candidate = data.Slice(FrameHeaderSize, (int)length);
        if (Crc32C.Compute(candidate) != BinaryPrimitives.ReadUInt32LittleEndian(data[4..]))
            return 0;
        payload = candidate;
        return FrameHeaderSize + (int)length;
    }

    /// <summary>
    /// Decodes an intact payload for replay; <see cref="FormatException"/> when it is not a version this code writes.
    /// The request id is skipped (left empty): it is there to trace a frame to its log line, and a million of them
    /// decoded at start-up would be a million strings nothing reads.
    /// </summary>
    public static LedgerEntry Decode(ReadOnlySpan<byte> payload, StringPool names)
    {
        var r = new ByteReader(payload);
        byte version = r.ReadByte();
        if (version != Version)
            throw new FormatException($"entry version {version} is not supported");
        long ts = r.ReadInt64();
        _ = r.ReadUtf8(); // the request id
        string agent = names.Get(r.ReadUtf8());
        string provider = names.Get(r.ReadUtf8());
        string model = names.Get(r.ReadUtf8());
        long tokensIn = r.ReadSigned(), tokensOut = r.ReadSigned(), cached = r.ReadSigned();
        byte flags = r.ReadByte();
        decimal? cost = (flags & PricedFlag) != 0 ? r.ReadDecimal() : null;
        var source = (CostSource)r.ReadByte();
        int status = (int)r.ReadVarint();
        if (!r.End)
            throw new FormatException("entry has trailing bytes");
        return new LedgerEntry(ts, "", agent, provider, model, tokensIn, tokensOut, cached, cost, source, status, (flags & PartialFlag) != 0);
    }
}
