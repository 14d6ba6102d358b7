using System.Buffers.Binary;
using System.Globalization;
using Microsoft.Win32.SafeHandles;

namespace Cllama.Ledger;

/// <summary>
/// One numbered log segment, <c>segment-000000000007.log</c>: a 16-byte header (<c>CLLSEG01</c> + u64 sequence)
/// then <see cref="EntryCodec"/> frames. Appends go at the known end with one write and one fsync per batch.
/// </summary>
sealed class SegmentFile : IDisposable
{
    public const int HeaderSize = 16;
    const string Prefix = "segment-", Suffix = ".log";
    static ReadOnlySpan<byte> Magic => "CLLSEG01"u8;

    readonly SafeFileHandle _handle;

    SegmentFile(string path, long sequence, SafeFileHandle handle, long length)
    {
        Path = path;
        Sequence = sequence;
        _handle = handle;
        Length = length;
    }

    public string Path { get; }
    public long Sequence { get; }
    public long Length { get; private set; }

    public static string PathOf(string directory, long sequence) =>
        System.IO.Path.Combine(directory, $"{Prefix}{sequence.ToString("D12", CultureInfo.InvariantCulture)}{Suffix}");

    /// <summary>The sequence numbers of the segments in <paramref name="directory"/>, ascending.</summary>
    public static List<long> List(string directory)
    {
        var sequences = new List<long>();
        foreach (var path in Directory.EnumerateFiles(directory, Prefix + "*" + Suffix))
        {
            var name = System.IO.Path.GetFileName(path.AsSpan());
            if (long.TryParse(name[Prefix.Length..^Suffix.Length], NumberStyles.None, CultureInfo.InvariantCulture, out long seq))
                sequences.Add(seq);
        }
        sequences.Sort();
        return sequences;
    }

    /// <summary>
    /// Applies every intact frame of the segment to <paramref name="state"/> and returns the length of that intact
    /// prefix. Whatever follows it is a write the crash interrupted, which no caller was ever told had succeeded: fine at
    /// the end of the last segment, corruption anywhere else.
    /// </summary>
    public static long Replay(string path, long sequence, bool isLast, LedgerState state, StringPool names)
    {
        byte[] data = File.ReadAllBytes(path);
        if (data.Length < HeaderSize || !data.AsSpan(0, 8).SequenceEqual(Magic))
        {
            // Created, then the crash came before its header was on disk.
            if (isLast && data.Length <= HeaderSize)
                return 0;
            throw new LedgerCorruptException(path, "not a ledger segment (bad header)");
        }
        if (BinaryPrimitives.ReadInt64LittleEndian(data.AsSpan(8)) != sequence)
            throw new LedgerCorruptException(path, "segment header names another sequence number");
        int at = HeaderSize;
        while (at < data.Length)
        {
            int size = EntryCodec.TryReadFrame(data.AsSpan(at), out var payload);
            if (size == 0)
                break;
            try
            {
                state.Apply(EntryCodec.Decode(payload, names));
            }
            catch (FormatException e)
            {
                throw new LedgerCorruptException(path, $"unreadable entry at byte {at}: {e.Message}", e);
            }
            at += size;
        }
        if (at < data.Length && !isLast)
            throw new LedgerCorruptException(path, $"damaged entry at byte {at} in a segment that was complete");
        return at;
    }

    /// <summary>Opens the last segment for appending after its intact prefix, cutting off a torn tail first.</summary>
    public static SegmentFile OpenForAppend(string directory, long sequence, long intactLength)
    {
        string path = PathOf(directory, sequence);
        var handle = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        try
        {
            if (intactLength < HeaderSize)
            {
                RandomAccess.SetLength(handle, 0);
                WriteHeader(handle, sequence);
                intactLength = HeaderSize;
            }
            else if (RandomAccess.GetLength(handle) != intactLength)
            {
                RandomAccess.SetLength(handle, intactLength);
                RandomAccess.FlushToDisk(handle);
            }
            return new SegmentFile(path, sequence, handle, intactLength);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Starts segment <paramref name="sequence"/>. A file already there is the husk of a rotation that failed, never written to: replaced.</summary>
    public static SegmentFile Create(string directory, long sequence)
    {
        string path = PathOf(directory, sequence);
        var handle = File.OpenHandle(path, FileMode.Create, FileAccess.ReadWrite, FileShare.Read);
        try
        {
            WriteHeader(handle, sequence);
            DirectorySync.Flush(directory);
            return new SegmentFile(path, sequence, handle, HeaderSize);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Writes <paramref name="frames"/> at the end and fsyncs. On failure the file is cut back, so the next append starts clean.</summary>
    public void Append(ReadOnlySpan<byte> frames)
    {
        try
        {
            RandomAccess.Write(_handle, frames, Length);
            RandomAccess.FlushToDisk(_handle);
            Length += frames.Length;
        }
        catch (IOException)
        {
            try { RandomAccess.SetLength(_handle, Length); } catch (IOException) { }
            throw;
        }
    }

    public static void Delete(string directory, long sequence) => File.Delete(PathOf(directory, sequence));

    static void WriteHeader(SafeFileHandle handle, long sequence)
    {
        Span<byte> header = stackalloc byte[HeaderSize];
        Magic.CopyTo(header);
        BinaryPrimitives.WriteInt64LittleEndian(header[8..], sequence);
        RandomAccess.Write(handle, header, 0);
        RandomAccess.FlushToDisk(handle);
    }

    public void Dispose() => _handle.Dispose();
}
