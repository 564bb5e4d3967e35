using System.Text.Json;

namespace Pipeline.Reporting.Tests;

/// <summary>JSON text as people read it (phones, notes, names): no \u escapes for '+' or Chinese.</summary>
public sealed class JsonDefaultsTests
{
    [Fact]
    public void Plus_signs_and_chinese_are_written_as_they_are()
    {
        var text = JsonSerializer.Serialize(new { phone = "+86 138 0000 0000", note = "1+1 武汉 & 'x'" }, JsonDefaults.Web);
        Assert.Equal("""{"phone":"+86 138 0000 0000","note":"1+1 武汉 & 'x'"}""", text);
    }

    [Fact]
    public void Control_characters_and_quotes_are_still_escaped()
    {
        var text = JsonSerializer.Serialize(new { note = "a\"b\n\u0001" }, JsonDefaults.Web);
        Assert.Equal("""{"note":"a\"b\n\u0001"}""", text);
    }
}
