namespace Pipeline.Reporting.Officials;

/// <summary>A township's state on a day, in the order the board lists them: whom to chase first.</summary>
public enum BoardStatus
{
    Missing,
    Late,
    OnTime,
    Exempt,
}
