namespace DurableWorkflows.Cli.Common;

/// <summary>Thrown by a command for a usage error (bad arguments, missing file); <c>dwf</c> prints the
/// message on stderr and exits with <see cref="ExitCodes.Usage"/>.</summary>
public sealed class UsageException : Exception
{
    public UsageException()
    {
    }

    public UsageException(string message)
        : base(message)
    {
    }

    public UsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
