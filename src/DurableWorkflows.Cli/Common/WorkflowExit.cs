using DurableWorkflows.Core.Contracts;

namespace DurableWorkflows.Cli.Common;

/// <summary>The exit code of a finished workflow (docs/ARCHITECTURE.md).</summary>
public static class WorkflowExit
{
    public static int CodeOf(WorkflowState state) => state switch
    {
        WorkflowState.SUCCESS => ExitCodes.Ok,
        WorkflowState.TIMEOUT => ExitCodes.Timeout,
        WorkflowState.CANCELLED => ExitCodes.Cancelled,
        _ => ExitCodes.Failed,
    };
}
