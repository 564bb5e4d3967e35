namespace Pipeline.Reporting.Batches;

/// <summary>A CSV file that cannot be read as written: the line, and what is wrong there (a message code).</summary>
public sealed class CsvFormatException(int line, string code) : Exception($"CSV line {line}: {code}")
{
    public int Line { get; } = line;

    public string Code { get; } = code;
}
