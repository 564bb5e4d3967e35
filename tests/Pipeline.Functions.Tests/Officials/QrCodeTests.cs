using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Pipeline.Testing;
using SkiaSharp;
using ZXing;
using ZXing.Common;
using ZXing.QrCode;

namespace Pipeline.Functions.Tests.Officials;

/// <summary>The QR code an official prints is the enrolment link itself, read back by an independent decoder.</summary>
[Collection(ConsoleAzuriteCollection.Name)]
public sealed class QrCodeTests(AzuriteFixture azurite)
{
    private static string Decode(string dataUri)
    {
        const string prefix = "data:image/png;base64,";
        Assert.StartsWith(prefix, dataUri, StringComparison.Ordinal);
        using var bitmap = SKBitmap.Decode(Convert.FromBase64String(dataUri[prefix.Length..]));
        var gray = new byte[bitmap.Width * bitmap.Height];
        for (var y = 0; y < bitmap.Height; y++)
        {
            for (var x = 0; x < bitmap.Width; x++)
            {
                var c = bitmap.GetPixel(x, y);
                gray[(y * bitmap.Width) + x] = (byte)((c.Red * 299 + c.Green * 587 + c.Blue * 114) / 1000);
            }
        }

        var source = new RGBLuminanceSource(gray, bitmap.Width, bitmap.Height, RGBLuminanceSource.BitmapFormat.Gray8);
        // The image is a generated code, not a photo: say so, or the finder-pattern search may miss it on some payloads.
        var hints = new Dictionary<DecodeHintType, object> { [DecodeHintType.PURE_BARCODE] = true, [DecodeHintType.TRY_HARDER] = true };
        var result = new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(source)), hints);
        Assert.NotNull(result);
        return result.Text;
    }

    [Fact]
    public async Task Each_issued_tokens_qr_code_decodes_to_its_enrolment_link()
    {
        await using var host = await PipelineHost.StartAsync(azurite.ConnectionString);
        var (_, county) = await host.IssueTokenAsync("official", "623027");
        using var official = host.Client(county);
        var response = await official.PostAsJsonAsync("api/tokens", new { role = "reporter", scope = "623027", allWithoutToken = true });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var issued = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(issued.GetArrayLength() > 1);
        foreach (var token in issued.EnumerateArray())
        {
            Assert.Equal(token.GetProperty("link").GetString(), Decode(token.GetProperty("qr").GetString()!));
        }
    }
}
