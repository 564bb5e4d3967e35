using Pipeline.Reporting.Catalogue;

namespace Pipeline.Functions.Http;

public sealed record WarningView(string Indicator, string Rule, string Message);
