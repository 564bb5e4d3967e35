using System.Threading.Channels;
using Pipeline.Reporting.Time;

namespace Pipeline.Reporting.Rollups;

/// <summary>
/// A large area's rollup made while its counties are read, county by county in code order: its content hash, and, once
/// the area looks changed (<see cref="Add"/>'s <c>write</c>), its incremental files (the JSON, every unit of the day)
/// written into the blobs of its next revision. Whether that revision is made is known only at the end, from the content
/// hash: writing early is speculative. Files are created or committed only when completed (<see cref="FinishAsync"/>), so
/// a revision dropped as unchanged leaves nothing a reader sees: at most uncommitted blocks, which the storage discards.
/// The passes over every unit that other files need before they write (<see cref="IMeasuredRollupRenderer"/>: the
/// workbook's column widths) are made here as well, so that those files are written right after the read.
/// </summary>
/// <param name="start">The area's document before any county (its revision set): what its files start with.</param>
public sealed class StreamingArea(
    RollupStore store, IEnumerable<IRollupRenderer> renderers, DateOnly date, RollupDocument start, ReportingClock clock) : IAsyncDisposable
{
    private readonly RollupContentHash hash = new();
    private readonly List<CountyReading> added = [];
    private readonly List<OpenFile> files = [];
    private readonly List<(IMeasuredRollupRenderer Renderer, IRollupMeasure Measure)> measures = [];

    /// <summary>Counties for the files, in order; the readings are held anyway (the area's document holds their units).</summary>
    private readonly Channel<CountyReading> toWrite = Channel.CreateUnbounded<CountyReading>(new UnboundedChannelOptions { SingleReader = true });

    private readonly CancellationTokenSource stop = new();
    private Task? writing;
    private int units;

    /// <summary>The revision the files are written as: the area's next one.</summary>
    public int Revision => start.Revision;

    /// <summary>When the files were started (their generation time), or null while none is.</summary>
    public DateTimeOffset? GeneratedAt { get; private set; }

    /// <summary>
    /// The next county in the area's order: hashed now, and handed to the files if they are started or
    /// <paramref name="write"/> starts them now (with every county added before it). The files are written in the
    /// background, as fast as the storage takes them: the hash (and so the decision on the revision, and the other
    /// files) never waits for them. Throws what writing them met, if it failed.
    /// </summary>
    public void Add(CountyReading county, bool write)
    {
        if (writing is { IsFaulted: true })
        {
            writing.GetAwaiter().GetResult();
        }

        hash.Add(county.Units);
        added.Add(county);
        units += county.Units.Count;
        if (writing is null && write)
        {
            GeneratedAt = clock.UtcNow;
            foreach (var earlier in added)
            {
                toWrite.Writer.TryWrite(earlier);
            }

            writing = WriteAsync(start with { GeneratedAt = GeneratedAt });
        }
        else if (writing is not null)
        {
            toWrite.Writer.TryWrite(county);
        }
    }

    /// <summary>The content hash of the area's document, whose units must be the ones added, in their order.</summary>
    public string ContentHash(RollupDocument content)
    {
        if (content.Units.Count != units)
        {
            throw new InvalidOperationException($"The document holds {content.Units.Count} units, the counties added {units}.");
        }

        toWrite.Writer.TryComplete();
        return hash.Finish(content);
    }

    /// <summary>Whether <paramref name="renderer"/>'s file was written here (then <see cref="FinishAsync"/> makes it).</summary>
    public bool Writes(IRollupRenderer renderer) => writing is not null && renderer is IIncrementalRollupRenderer && renderers.Contains(renderer);

    /// <summary>
    /// The measure of the area's units that <paramref name="renderer"/>'s file needs (<see cref="IMeasuredRollupRenderer"/>),
    /// taken here as the counties came, once every unit added is in it; null where none was taken (the files were not started).
    /// </summary>
    public async Task<IRollupMeasure?> MeasureOfAsync(IMeasuredRollupRenderer renderer, CancellationToken cancellationToken)
    {
        if (writing is null || !renderers.Contains(renderer))
        {
            return null;
        }

        await writing.WaitAsync(cancellationToken);
        return measures.Single(m => m.Renderer == renderer).Measure;
    }

    /// <summary>Ends <paramref name="renderer"/>'s file with the whole document, once every unit added is written, and creates its blob.</summary>
    public async Task<RollupFile> FinishAsync(IRollupRenderer renderer, RollupDocument document, CancellationToken cancellationToken)
    {
        await writing!.WaitAsync(cancellationToken);
        var file = files.Single(f => f.Renderer == renderer);
        await file.Writer.EndAsync(document, cancellationToken);
        var (bytes, sha256) = await file.Blob.CompleteAsync(cancellationToken);
        return new RollupFile(file.Renderer.Format, file.Renderer.Name, file.Renderer.ContentType, bytes, sha256);
    }

    public async ValueTask DisposeAsync()
    {
        toWrite.Writer.TryComplete();
        await stop.CancelAsync();
        if (writing is not null)
        {
            // Its failure, if any, was told by Add or FinishAsync, or the build failed for another reason.
            await writing.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        }

        foreach (var file in files)
        {
            file.Writer.Dispose();
            await file.Blob.DisposeAsync();
        }

        hash.Dispose();
        stop.Dispose();
    }

    private async Task WriteAsync(RollupDocument begun)
    {
        await Task.Yield();
        foreach (var renderer in renderers.OfType<IIncrementalRollupRenderer>())
        {
            var blob = store.CreateFile(date, start.Scope.Code, start.Revision, renderer.Name, renderer.ContentType, RollupEncoding.StoredGzip(renderer.Format));
            files.Add(new OpenFile(renderer, blob, renderer.Open(blob)));
        }

        foreach (var file in files)
        {
            await file.Writer.StartAsync(begun, stop.Token);
        }

        // Measured on this task too, beside the files: CPU the read leaves idle, instead of after the read.
        measures.AddRange(renderers.OfType<IMeasuredRollupRenderer>().Select(r => (r, r.Measure(begun))));

        await foreach (var county in toWrite.Reader.ReadAllAsync(stop.Token))
        {
            foreach (var file in files)
            {
                await file.Writer.UnitsAsync(county.Units, stop.Token);
            }

            foreach (var (_, measure) in measures)
            {
                measure.Add(county.Units);
            }
        }
    }

    private sealed record OpenFile(IIncrementalRollupRenderer Renderer, BlobCreateStream Blob, IIncrementalRollupFile Writer);
}
