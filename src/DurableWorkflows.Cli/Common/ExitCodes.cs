namespace DurableWorkflows.Cli.Common;

/// <summary>The exit codes of <c>dwf</c> (part of the contract, docs/ARCHITECTURE.md).</summary>
public static class ExitCodes
{
    /// <summary>Valid / SUCCESS.</summary>
    public const int Ok = 0;

    /// <summary>Invalid template (validate) / FAILED (run).</summary>
    public const int Failed = 1;

    /// <summary>Usage error: bad arguments, a missing file, a bad --var.</summary>
    public const int Usage = 2;

    /// <summary>The workflow timed out.</summary>
    public const int Timeout = 3;

    /// <summary>The workflow was cancelled.</summary>
    public const int Cancelled = 4;
}
