using Cllama.App;
using Cllama.Config;
using Cllama.Ledger;
using Cllama.Tests.Agents;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cllama.Tests.Ledger;

/// <summary>Start-up after a crash: torn tails are cut off, real damage stops start-up naming the file.</summary>
public class LedgerRecoveryTests
{
    static readonly DateTimeOffset T0 = new(2025, 6, 15, 12, 0, 0, TimeSpan.Zero);
    static readonly ManualClock Clock = new(T0.AddHours(1));

    /// <summary>A crash image of a ledger holding <paramref name="count"/> entries; returns the segment's length after each entry.</summary>
    static async Task<List<long>> CrashImageAsync(string stateDir, int count)
    {
        using var live = new TempDir();
        using var ledger = CostLedger.Open(live.Path, Clock);
        var lengths = new List<long> { 16 };
        for (int i = 0; i < count; i++)
        {
            await ledger.RecordAsync(Records.Forwarded(T0.AddSeconds(i), cost: 0.001m * (i + 1)));
            lengths.Add(new FileInfo(Assert.Single(LedgerImage.Segments(live.Path))).Length);
        }
        LedgerImage.Copy(live.Path, stateDir);
        return lengths;
    }

    static decimal Spent(CostLedger ledger) => ledger.SpentUsd("tiverton", BudgetWindow.Total, Clock.Now);

    [Fact]
    public async Task Every_torn_prefix_of_the_last_entry_is_cut_off_and_appending_resumes_cleanly()
    {
        using var image = new TempDir();
        var lengths = await CrashImageAsync(image.Path, 3);
        string segment = Assert.Single(LedgerImage.Segments(image.Path));
        byte[] whole = File.ReadAllBytes(segment);
        for (long cut = lengths[2]; cut < lengths[3]; cut++)
        {
            using var dir = new TempDir();
            Directory.CreateDirectory(LedgerImage.LedgerDir(dir.Path));
            string torn = Path.Combine(LedgerImage.LedgerDir(dir.Path), Path.GetFileName(segment));
            File.WriteAllBytes(torn, whole[..(int)cut]);
            using (var ledger = CostLedger.Open(dir.Path, Clock))
            {
                Assert.Equal(0.003m, Spent(ledger));
                Assert.Equal(lengths[2], new FileInfo(torn).Length);
                await ledger.RecordAsync(Records.Forwarded(T0, cost: 0.1m));
            }
            using var reopened = CostLedger.Open(dir.Path, Clock);
            Assert.Equal(0.103m, Spent(reopened));
        }
    }

    [Theory]
    [InlineData(new byte[] { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 })]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0x7F, 1, 2, 3, 4, 5 })]
    [InlineData(new byte[] { 9, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 })]
    public async Task Garbage_after_the_last_intact_entry_is_a_torn_tail(byte[] garbage)
    {
        using var image = new TempDir();
        var lengths = await CrashImageAsync(image.Path, 2);
        string segment = Assert.Single(LedgerImage.Segments(image.Path));
        using (var file = new FileStream(segment, FileMode.Append))
            file.Write(garbage);
        using var ledger = CostLedger.Open(image.Path, Clock);
        Assert.Equal(0.003m, Spent(ledger));
        Assert.Equal(lengths[2], new FileInfo(segment).Length);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(15)]
    public async Task A_last_segment_whose_header_never_reached_the_disk_is_started_again(int length)
    {
        using var dir = new TempDir();
        using (var ledger = CostLedger.Open(dir.Path, Clock))
            await ledger.RecordAsync(Records.Forwarded(T0, cost: 0.5m));
        string last = LedgerImage.Segments(dir.Path)[^1];
        string next = last.Replace("000000000002", "000000000003");
        File.WriteAllBytes(next, new byte[length]);
        using (var ledger = CostLedger.Open(dir.Path, Clock))
        {
            Assert.Equal(0.5m, Spent(ledger));
            Assert.Equal(16, new FileInfo(next).Length);
            await ledger.RecordAsync(Records.Forwarded(T0, cost: 0.25m));
        }
        using var reopened = CostLedger.Open(dir.Path, Clock);
        Assert.Equal(0.75m, Spent(reopened));
    }

    [Fact]
    public async Task Damage_inside_a_segment_that_was_complete_is_corruption()
    {
        using var dir = new TempDir();
        using (var ledger = CostLedger.Open(dir.Path, Clock))
            await ledger.RecordAsync(Records.Forwarded(T0));
        using var image = new TempDir();
        await CrashImageAsync(image.Path, 2);
        string first = Assert.Single(LedgerImage.Segments(image.Path));
        // A second segment after it makes the first one a complete segment.
        File.Copy(LedgerImage.Segments(dir.Path)[^1], first.Replace("000000000001", "000000000002"));
        byte[] bytes = File.ReadAllBytes(first);
        bytes[30] ^= 0x40;
        File.WriteAllBytes(first, bytes);
        var e = Assert.Throws<LedgerCorruptException>(() => CostLedger.Open(image.Path, Clock));
        Assert.Equal(first, e.Path);
        Assert.Contains("byte 16", e.Message);
    }

    [Fact]
    public async Task A_missing_segment_is_corruption_not_silence()
    {
        using var image = new TempDir();
        await CrashImageAsync(image.Path, 1);
        string first = Assert.Single(LedgerImage.Segments(image.Path));
        File.Move(first, first.Replace("000000000001", "000000000002"));
        var e = Assert.Throws<LedgerCorruptException>(() => CostLedger.Open(image.Path, Clock));
        Assert.EndsWith("segment-000000000001.log", e.Path);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(12)]
    [InlineData(-1)]
    public async Task A_damaged_snapshot_stops_start_up_naming_the_file(int flip)
    {
        using var dir = new TempDir();
        using (var ledger = CostLedger.Open(dir.Path, Clock))
            await ledger.RecordAsync(Records.Forwarded(T0));
        string snapshot = LedgerImage.Snapshot(dir.Path);
        byte[] bytes = File.ReadAllBytes(snapshot);
        bytes[flip < 0 ? bytes.Length - 1 : flip] ^= 0x01;
        File.WriteAllBytes(snapshot, bytes);

        var e = Assert.Throws<LedgerCorruptException>(() => CostLedger.Open(dir.Path, Clock));
        Assert.Equal(snapshot, e.Path);
        var config = ConfigReader.Read(_ => null) with
        {
            Listen = new ListenAddress("127.0.0.1", 0),
            UiListen = new ListenAddress("127.0.0.1", 0),
            ContextRoot = Path.Combine(dir.Path, "context"),
            AuthDir = Path.Combine(dir.Path, "auth"),
            StateDir = dir.Path,
        };
        var startup = Assert.Throws<StartupException>(() => CllamaApp.Create(config, NullLoggerFactory.Instance, Stream.Null));
        Assert.Contains(snapshot, startup.Message);
    }
}
