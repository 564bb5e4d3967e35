namespace Pipeline.Reporting.Catalogue;

public sealed record IndicatorBounds(decimal Min, decimal Max, int Decimals);
