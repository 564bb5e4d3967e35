namespace Pipeline.Functions.Tests.Reliability;

/// <summary>One cell of a downloaded spreadsheet file, as Excel or WPS would see it.</summary>
internal sealed record ExportCell(string Where, string Text, bool IsNumber, bool IsFormula)
{
    /// <summary>The characters that make a spreadsheet read a text cell as a formula (OWASP CSV injection).</summary>
    public static readonly char[] Triggers = ['=', '+', '-', '@', '\t', '\r'];

    /// <summary>A formula cell, or text that a spreadsheet would run: it starts with a trigger and is not a plain number.</summary>
    public bool IsDangerous => IsFormula || (!IsNumber && Text.Length > 0 && Triggers.Contains(Text[0]));
}
