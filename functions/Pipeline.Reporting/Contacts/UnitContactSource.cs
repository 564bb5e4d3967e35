namespace Pipeline.Reporting.Contacts;

/// <summary>Where a unit's contact came from: nobody known, the reporter of its latest report, or its reporter token.</summary>
public enum UnitContactSource
{
    None,
    LatestReport,
    Token,
}
