namespace Pipeline.Reporting.Rollups.Rendering;

/// <summary>A font family cut to some characters (<see cref="PdfFontLocator.Subset"/>): text made only of them draws with it.</summary>
public sealed record PdfFontSubset(string Family, IReadOnlySet<char> Characters)
{
    public bool Covers(string text)
    {
        foreach (var c in text)
        {
            if (!Characters.Contains(c))
            {
                return false;
            }
        }

        return true;
    }
}
