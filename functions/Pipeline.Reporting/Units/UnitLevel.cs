namespace Pipeline.Reporting.Units;

public enum UnitLevel
{
    Prefecture,
    County,
    Township,
}
