using Pipeline.Reporting.Batches;

namespace Pipeline.Functions.Http;

public sealed record BatchView(
    string BatchId,
    BatchStatus Status,
    int Total,
    int Accepted,
    int Rejected,
    int NotProcessed,
    IReadOnlyList<BatchRowView> Results,
    string? Next);
