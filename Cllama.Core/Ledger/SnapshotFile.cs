using System.Buffers.Binary;

namespace Cllama.Ledger;

/// <summary>
/// <c>snapshot.bin</c>: every aggregate at a segment boundary, so start-up reads this plus the segments from
/// <c>NextSegment</c> on instead of every entry ever written. Layout: <c>CLLSNAP1</c>, varint next segment, varint
/// agent count, per agent (name, varint model count, per model (provider, model, series)), then a
/// u32 CRC-32C of everything before it. A series is its total and its month, day, hour and minute buckets (count,
/// then delta-coded keys with their totals). Written to a temp file, fsynced, renamed over the old one.
/// </summary>
static class SnapshotFile
{
    public const string FileName = "snapshot.bin";
    static ReadOnlySpan<byte> Magic => "CLLSNAP1"u8;

    public static ReadOnlyMemory<byte> Serialize(LedgerState state, long nextSegment)
    {
        var w = new ByteWriter(64 * 1024);
        foreach (byte b in Magic)
            w.WriteByte(b);
        w.WriteVarint((ulong)nextSegment);
        w.WriteVarint((ulong)state.Agents.Count);
        foreach (var (agent, models) in state.Agents)
        {
            w.WriteString(agent);
            w.WriteVarint((ulong)models.Count);
            foreach (var ((provider, model), series) in models)
            {
                w.WriteString(provider);
                w.WriteString(model);
                WriteSeries(w, series);
            }
        }
        w.WriteUInt32(Crc32C.Compute(w.Written));
        return w.WrittenMemory;
    }

    /// <summary>Reads the snapshot at <paramref name="path"/>; any damage is a <see cref="LedgerCorruptException"/> (it is never torn: it is renamed into place whole).</summary>
    public static (LedgerState State, long NextSegment) Read(string path)
    {
        byte[] data;
        try
        {
            data = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new LedgerCorruptException(path, $"cannot read the ledger snapshot: {e.Message}", e);
        }
        if (data.Length < Magic.Length + 4 || !data.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            throw new LedgerCorruptException(path, "not a ledger snapshot (bad header)");
        var body = data.AsSpan(0, data.Length - 4);
        if (Crc32C.Compute(body) != BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(data.Length - 4)))
            throw new LedgerCorruptException(path, "ledger snapshot checksum mismatch");
        try
        {
            var r = new ByteReader(body[Magic.Length..]);
            long next = (long)r.ReadVarint();
            var state = new LedgerState();
            ulong agents = r.ReadVarint();
            for (ulong a = 0; a < agents; a++)
            {
                var models = new Dictionary<(string Provider, string Model), SpendSeries>();
                state.Agents.Add(r.ReadString(), models);
                ulong count = r.ReadVarint();
                for (ulong m = 0; m < count; m++)
                {
                    var series = new SpendSeries();
                    models.Add((r.ReadString(), r.ReadString()), series);
                    ReadSeries(ref r, series);
                }
            }
            if (!r.End)
                throw new FormatException("trailing bytes");
            return (state, next);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw new LedgerCorruptException(path, $"unreadable ledger snapshot: {e.Message}", e);
        }
    }

    /// <summary>Replaces the snapshot atomically: a crash leaves either the old file or the new one, never a mix.</summary>
    public static void WriteAtomic(string directory, ReadOnlyMemory<byte> image)
    {
        string path = Path.Combine(directory, FileName);
        string temp = path + ".tmp";
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0))
        {
            file.Write(image.Span);
            file.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
        DirectorySync.Flush(directory);
    }

    static void WriteSeries(ByteWriter w, SpendSeries s)
    {
        s.Total.Write(w);
        WriteBuckets(w, s.Months);
        WriteBuckets(w, s.Days);
        WriteBuckets(w, s.Hours);
        WriteBuckets(w, s.Minutes);
    }

    static void WriteBuckets(ByteWriter w, TimeBuckets buckets)
    {
        var items = buckets.Items;
        w.WriteVarint((ulong)items.Length);
        long previous = 0;
        foreach (ref readonly var b in items)
        {
            w.WriteSigned(b.Key - previous);
            previous = b.Key;
            b.Totals.Write(w);
        }
    }

    static void ReadSeries(ref ByteReader r, SpendSeries s)
    {
        s.Total = Totals.Read(ref r);
        ReadBuckets(ref r, s.Months);
        ReadBuckets(ref r, s.Days);
        ReadBuckets(ref r, s.Hours);
        ReadBuckets(ref r, s.Minutes);
    }

    static void ReadBuckets(ref ByteReader r, TimeBuckets buckets)
    {
        int count = r.ReadLength(); // each bucket takes at least a byte, so this bounds the allocation
        buckets.EnsureCapacity(count);
        long key = 0;
        for (int i = 0; i < count; i++)
        {
            key += r.ReadSigned();
            buckets.Append(key, Totals.Read(ref r));
        }
    }
}
