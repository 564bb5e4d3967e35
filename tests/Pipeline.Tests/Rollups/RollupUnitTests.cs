using Pipeline.Reporting.Rollups.Rendering;

namespace Pipeline.Tests.Rollups;

public sealed class RollupUnitTests
{
    [Theory]
    [InlineData("=SUM(A1)", "'=SUM(A1)")]
    [InlineData("+86 138", "'+86 138")]
    [InlineData("-1", "'-1")]
    [InlineData("@cmd", "'@cmd")]
    [InlineData("电尕镇", "电尕镇")]
    [InlineData("", "")]
    public void Text_that_a_spreadsheet_would_run_is_neutralised(string text, string expected) =>
        Assert.Equal(expected, SpreadsheetText.Safe(text));
}
