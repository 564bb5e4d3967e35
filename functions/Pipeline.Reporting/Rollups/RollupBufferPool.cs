using Microsoft.IO;

namespace Pipeline.Reporting.Rollups;

/// <summary>
/// The memory a rollup file in the making is held in (a buffered renderer's whole file, an upload's next block): one pool
/// for the app, in blocks below the large-object heap's threshold (85,000 bytes). No file, however large (the prefecture's
/// 66 MB JSON at 100,000 units), asks for one large array, nor for the doubling copies a <see cref="MemoryStream"/> makes
/// as it grows: each of those is a large object that only a full collection frees, and a build makes hundreds of files.
/// </summary>
public static class RollupBufferPool
{
    public const int BlockBytes = 64 * 1024;

    /// <summary>
    /// Blocks kept for reuse when their streams are disposed: what the uploads in flight hold (four areas' four files at a
    /// time, up to a 1 MiB block each). Beyond that a returned block is dropped, garbage as any other small array.
    /// </summary>
    public const long MaximumFreeBytes = 16 * 1024 * 1024;

    public static RecyclableMemoryStreamManager Create() => new(new RecyclableMemoryStreamManager.Options
    {
        BlockSize = BlockBytes,
        MaximumSmallPoolFreeBytes = MaximumFreeBytes,
        // A copy of the whole stream in one array is the large object this pool is for avoiding: refused, not made.
        ThrowExceptionOnToArray = true,
    });
}
