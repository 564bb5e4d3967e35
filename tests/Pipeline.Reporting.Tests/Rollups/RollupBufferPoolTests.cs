using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IO;
using Pipeline.Reporting.Rollups;
using Pipeline.Testing;
using static Pipeline.Reporting.Tests.Rollups.RollupFixtures;

namespace Pipeline.Reporting.Tests.Rollups;

/// <summary>
/// What a build relies on from the app's buffer pool: a large area's files, made in memory (the workbook, which its
/// package seeks back into) and held block by block for their uploads, are stored whole and never become one large array.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class RollupBufferPoolTests(AzuriteFixture azurite) : HostedTests(azurite)
{
    /// <summary>The size from which the runtime puts an array on the large-object heap.</summary>
    private const int LargeObjectBytes = 85_000;

    private static readonly DateOnly Date = new(2026, 11, 26);

    [Fact]
    public async Task A_large_areas_files_are_stored_whole_from_small_pooled_blocks_and_never_one_large_array()
    {
        var prefecture = Builder().Compose(Day(Date, Busy()), Day(Date.AddDays(-1), Busy(3)), new Dictionary<string, decimal>())
            with { Revision = 1, GeneratedAt = PipelineHost.DefaultNow };
        // The prefecture's townships three hundred times over: files of megabytes, each many blocks and more than one upload.
        var rollup = prefecture with { Units = [.. Enumerable.Repeat(prefecture.Units, 300).SelectMany(u => u)] };
        var buffers = Host.Services.GetRequiredService<RecyclableMemoryStreamManager>();
        var largeBuffers = 0;
        buffers.LargeBufferCreated += (_, _) => Interlocked.Increment(ref largeBuffers);
        var streams = new ConcurrentBag<string?>();
        buffers.StreamCreated += (_, created) => streams.Add(created.Tag);
        var store = Host.Services.GetRequiredService<RollupStore>();
        var renderers = Host.Services.GetServices<IRollupRenderer>().ToList();

        var manifest = await store.WriteRevisionAsync(Date, "623000", 1, PipelineHost.DefaultNow, false, rollup.Completeness, renderers, rollup,
            CancellationToken.None);

        var workbook = manifest.Files.Single(f => f.Format == "xlsx");
        Assert.True(workbook.Bytes > 2 * store.SingleUploadBytes, $"the workbook should be more than two uploads: {workbook.Bytes} bytes");
        Assert.True(manifest.Files.Single(f => f.Format == "json").Bytes > 2 * store.SingleUploadBytes, "the JSON should be more than two uploads");
        var stored = (await store.BlobOf(store.PathOf(Date, "623000", 1, workbook.Name)).DownloadContentAsync()).Value.Content;
        Assert.Equal(workbook.Bytes, stored.ToMemory().Length);
        using (var package = SpreadsheetDocument.Open(stored.ToStream(), false))
        {
            var part = package.WorkbookPart!;
            var units = part.Workbook.Sheets!.Elements<Sheet>().Single(s => s.Name == "乡镇全部指标");
            // Every unit's row is there after the title block and the header.
            Assert.True(((WorksheetPart)part.GetPartById(units.Id!)).Worksheet.Descendants<Row>().Count() > rollup.Units.Count);
        }

        // The files made in memory and the uploads' blocks were held in the pool's streams, and none became one array.
        Assert.Superset(new HashSet<string?> { "rollup.xlsx", "rollup.csv", "rollup.pdf", "upload block" }, streams.ToHashSet());
        Assert.Equal(0, largeBuffers);
        // Every stream is disposed and its blocks are back in the pool, which keeps no more of them than it is told to.
        Assert.Equal(0, buffers.SmallPoolInUseSize);
        Assert.InRange(buffers.SmallPoolFreeSize, 1, RollupBufferPool.MaximumFreeBytes);
        // The pool's blocks, the ones the files were held in, are each a small object.
        using var probe = buffers.GetStream();
        probe.Write(new byte[4 * LargeObjectBytes]);
        foreach (var block in probe.GetReadOnlySequence())
        {
            Assert.True(MemoryMarshal.TryGetArray(block, out var array));
            Assert.InRange(array.Array!.Length, 1, LargeObjectBytes - 1);
        }
    }
}
