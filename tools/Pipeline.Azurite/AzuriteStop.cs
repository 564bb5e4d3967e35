namespace Pipeline.Azurite;

/// <summary>How <see cref="AzuriteProcess.StopAsync"/> ended Azurite the last time.</summary>
public enum AzuriteStop
{
    /// <summary>Not stopped yet, or it was not running.</summary>
    None,

    /// <summary>It closed its services and exited on its interrupt (SIGINT), within the grace period.</summary>
    ExitedOnInterrupt,

    /// <summary>It was still running after the grace period and was killed.</summary>
    Killed,
}
