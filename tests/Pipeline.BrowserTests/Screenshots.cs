namespace Pipeline.BrowserTests;

/// <summary>
/// Where the form's screenshots go: the test's output folder, or the repository's docs/ folder when
/// PIPELINE_SCREENSHOTS=docs (how docs/form-zh.png and docs/form-en.png are made; see docs/README.md).
/// </summary>
internal static class Screenshots
{
    public static string Save(Chromium browser, string name)
    {
        var folder = Environment.GetEnvironmentVariable("PIPELINE_SCREENSHOTS") == "docs"
            ? Path.Combine(Pipeline.Testing.RepositoryRoot.Path, "docs")
            : Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name);
        browser.Driver.GetScreenshot().SaveAsFile(path);
        return path;
    }
}
