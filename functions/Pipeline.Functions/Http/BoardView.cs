namespace Pipeline.Functions.Http;

/// <summary>The board as the console reads it. It holds nothing that changes between two reads of the same data, so its ETag does not either.</summary>
public sealed record BoardView(
    string Date,
    string Today,
    string Scope,
    string ScopeName,
    bool Editable,
    int RefreshSeconds,
    string TimeZone,
    BoardCountyView Total,
    IReadOnlyList<BoardCountyView> Counties,
    IReadOnlyList<BoardUnitView> Units);
