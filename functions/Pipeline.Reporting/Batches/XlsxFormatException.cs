namespace Pipeline.Reporting.Batches;

/// <summary>A workbook that cannot be read as one: what is wrong (a message code) and the message's arguments.</summary>
public sealed class XlsxFormatException(string code, params object[] args) : Exception($"XLSX: {code}")
{
    public string Code { get; } = code;

    public IReadOnlyList<object> Args { get; } = args;
}
