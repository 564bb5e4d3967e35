using Pipeline.Reporting.Rollups;

namespace Pipeline.Functions.Http;

public sealed record CompletenessView(
    string Date, string Scope, string ScopeName, int Expected, int Reported, int OnTime, int Late, IReadOnlyList<MissingUnit> Missing, int Exempt = 0);
