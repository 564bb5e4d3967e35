using QRCoder;

namespace Pipeline.Reporting.Officials;

/// <summary>QR codes of enrolment links, as PNG data URIs the console shows and prints (its CSP allows <c>img-src data:</c>).</summary>
public static class QrCodes
{
    /// <summary>Pixels per module: a 45-module code (version 7 with its quiet zone) prints about 3 cm wide at 4 px.</summary>
    private const int PixelsPerModule = 6;

    public static byte[] Png(string text)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        return new PngByteQRCode(data).GetGraphic(PixelsPerModule);
    }

    public static string DataUri(string text) => "data:image/png;base64," + Convert.ToBase64String(Png(text));
}
