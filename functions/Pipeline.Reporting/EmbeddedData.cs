namespace Pipeline.Reporting;

/// <summary>Opens the data files compiled into this assembly (catalogue, units, messages, the form).</summary>
internal static class EmbeddedData
{
    public static Stream Open(string name) => OpenResource("Pipeline.Reporting.Data." + name);

    public static Stream? TryOpenForm(string name) =>
        typeof(EmbeddedData).Assembly.GetManifestResourceStream("Pipeline.Reporting.Form." + name);

    private static Stream OpenResource(string resource) =>
        typeof(EmbeddedData).Assembly.GetManifestResourceStream(resource)
        ?? throw new FileNotFoundException($"Embedded data '{resource}' is missing from the build.");
}
