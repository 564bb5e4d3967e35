using Pipeline.Reporting.Time;

namespace Pipeline.Reporting.Rollups;

/// <summary>
/// A large area's rollup made while its counties are read, county by county in code order: its content hash, and, once
/// the area looks changed (<see cref="AddAsync"/>'s <c>write</c>), its incremental files (the JSON, every unit of the day)
/// written into the blobs of its next revision. Whether that revision is made is known only at the end, from the content
/// hash: writing early is speculative. Files are created or committed only when completed (<see cref="FinishAsync"/>), so
/// a revision dropped as unchanged leaves nothing a reader sees: at most uncommitted blocks, which the storage discards.
/// </summary>
/// <param name="start">The area's document before any county (its revision set): what its files start with.</param>
public sealed class StreamingArea(
    RollupStore store, IEnumerable<IRollupRenderer> renderers, DateOnly date, RollupDocument start, ReportingClock clock) : IAsyncDisposable
{
    private readonly RollupContentHash hash = new();
    private readonly List<CountyReading> added = [];
    private readonly List<OpenFile> files = [];
    private int units;

    /// <summary>The revision the files are written as: the area's next one.</summary>
    public int Revision => start.Revision;

    /// <summary>When the files were started (their generation time), or null while none is.</summary>
    public DateTimeOffset? GeneratedAt { get; private set; }

    /// <summary>
    /// The next county in the area's order: hashed, and written into the files if they are started or
    /// <paramref name="write"/> starts them now (with every county added before it).
    /// </summary>
    public async Task AddAsync(CountyReading county, bool write, CancellationToken cancellationToken)
    {
        hash.Add(county.Units);
        added.Add(county);
        units += county.Units.Count;
        if (GeneratedAt is not null)
        {
            await WriteAsync(county, cancellationToken);
        }
        else if (write)
        {
            await StartAsync(cancellationToken);
        }
    }

    /// <summary>The content hash of the area's document, whose units must be the ones added, in their order.</summary>
    public string ContentHash(RollupDocument content)
    {
        if (content.Units.Count != units)
        {
            throw new InvalidOperationException($"The document holds {content.Units.Count} units, the counties added {units}.");
        }

        return hash.Finish(content);
    }

    /// <summary>Whether <paramref name="renderer"/>'s file was written here (then <see cref="FinishAsync"/> makes it).</summary>
    public bool Writes(IRollupRenderer renderer) => files.Exists(f => f.Renderer == renderer);

    /// <summary>Ends <paramref name="renderer"/>'s file with the whole document and creates its blob.</summary>
    public async Task<RollupFile> FinishAsync(IRollupRenderer renderer, RollupDocument document, CancellationToken cancellationToken)
    {
        var file = files.Single(f => f.Renderer == renderer);
        await file.Writer.EndAsync(document, cancellationToken);
        var (bytes, sha256) = await file.Blob.CompleteAsync(cancellationToken);
        return new RollupFile(file.Renderer.Format, file.Renderer.Name, file.Renderer.ContentType, bytes, sha256);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var file in files)
        {
            file.Writer.Dispose();
            await file.Blob.DisposeAsync();
        }

        hash.Dispose();
    }

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        GeneratedAt = clock.UtcNow;
        var document = start with { GeneratedAt = GeneratedAt };
        foreach (var renderer in renderers.OfType<IIncrementalRollupRenderer>())
        {
            var blob = store.CreateFile(date, start.Scope.Code, start.Revision, renderer.Name, renderer.ContentType);
            files.Add(new OpenFile(renderer, blob, renderer.Open(blob)));
        }

        foreach (var file in files)
        {
            await file.Writer.StartAsync(document, cancellationToken);
        }

        foreach (var county in added)
        {
            await WriteAsync(county, cancellationToken);
        }
    }

    private async Task WriteAsync(CountyReading county, CancellationToken cancellationToken)
    {
        foreach (var file in files)
        {
            await file.Writer.UnitsAsync(county.Units, cancellationToken);
        }
    }

    private sealed record OpenFile(IIncrementalRollupRenderer Renderer, BlobCreateStream Blob, IIncrementalRollupFile Writer);
}
