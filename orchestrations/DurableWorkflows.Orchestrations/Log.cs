using Microsoft.Extensions.Logging;

namespace DurableWorkflows.Orchestrations;

internal static partial class Log
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Workflow {WorkflowId}: service {Service} is {State}")]
    public static partial void ServiceState(ILogger logger, string workflowId, string service, string state);

    [LoggerMessage(Level = LogLevel.Information, Message = "Workflow {WorkflowId}: {Task}/{Action} attempt {Attempt} is {State}")]
    public static partial void ActionState(ILogger logger, string workflowId, string task, string action, int attempt, string state);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Workflow {WorkflowId}: could not inspect its services: {Error}")]
    public static partial void InspectFailed(ILogger logger, string workflowId, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Workflow {WorkflowId}: cleanup failed after every retry: {Error}")]
    public static partial void CleanupFailed(ILogger logger, string workflowId, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Workflow {WorkflowId} finished: {State} {Message}")]
    public static partial void Finished(ILogger logger, string workflowId, string state, string? message);
}
