namespace Pipeline.Reporting.Officials;

/// <summary>The officials' console: index.html, console.css, console.js.</summary>
public sealed class ConsoleAssets() : StaticAssets("Pipeline.Reporting.Console.");
