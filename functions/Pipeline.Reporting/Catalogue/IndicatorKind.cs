namespace Pipeline.Reporting.Catalogue;

/// <summary>How an indicator aggregates: flows and money add up over days, stocks are end-of-day levels.</summary>
public enum IndicatorKind
{
    Flow,
    Stock,
    Money,
}
