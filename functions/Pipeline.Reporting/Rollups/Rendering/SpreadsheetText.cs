namespace Pipeline.Reporting.Rollups.Rendering;

/// <summary>Text that a spreadsheet would run as a formula (= + - @, tab, CR) gets a leading apostrophe.</summary>
public static class SpreadsheetText
{
    public static string Safe(string text) =>
        text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + text : text;
}
