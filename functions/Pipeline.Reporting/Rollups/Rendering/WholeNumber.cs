namespace Pipeline.Reporting.Rollups.Rendering;

/// <summary>
/// A decimal without a fractional part written (scale 0) whose magnitude fits 32 bits: most of a rollup's figures. Read
/// from the decimal's bits, without the decimal arithmetic of a comparison or a conversion (millions of cells a workbook).
/// </summary>
internal static class WholeNumber
{
    public static bool TryGet(decimal value, out uint magnitude, out bool negative)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        // bits[3] holds the sign (bit 31) and the scale (bits 16-23); bits[1] and bits[2] the high 64 bits of the magnitude.
        (magnitude, negative) = ((uint)bits[0], bits[3] < 0);
        return (bits[3] & 0x00FF0000) == 0 && bits[1] == 0 && bits[2] == 0;
    }

    /// <summary>The number of decimal digits of <paramref name="value"/> (1 for 0).</summary>
    public static int Digits(uint value) => value switch
    {
        < 10 => 1,
        < 100 => 2,
        < 1_000 => 3,
        < 10_000 => 4,
        < 100_000 => 5,
        < 1_000_000 => 6,
        < 10_000_000 => 7,
        < 100_000_000 => 8,
        < 1_000_000_000 => 9,
        _ => 10,
    };
}
