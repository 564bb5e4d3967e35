namespace Pipeline.Functions;

/// <summary>The telemetry setting Program.cs reads; its presence switches on export to Application Insights.</summary>
public static class TelemetrySettings
{
    public const string ConnectionStringName = "APPLICATIONINSIGHTS_CONNECTION_STRING";
}
