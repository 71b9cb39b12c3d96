using Microsoft.Extensions.Logging;

namespace DurableWorkflows.Containers;

internal static partial class Log
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Created container {ContainerName} ({Image}) on {Endpoint}")]
    public static partial void Created(ILogger logger, string containerName, string image, string endpoint);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Found existing container {ContainerName} ({State}) on {Endpoint}")]
    public static partial void FoundExisting(ILogger logger, string containerName, string state, string endpoint);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "Pulling image {Image} on {Endpoint}")]
    public static partial void Pulling(ILogger logger, string image, string endpoint);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Information, Message = "Service {ServiceName} of workflow {WorkflowId}: {Outcome}")]
    public static partial void ServiceOutcome(ILogger logger, string serviceName, string workflowId, string outcome);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Warning, Message = "Deadline passed: killed container {ContainerName}")]
    public static partial void KilledAtDeadline(ILogger logger, string containerName);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Information, Message = "Removed container {ContainerName} of workflow {WorkflowId} (was {State})")]
    public static partial void Removed(ILogger logger, string containerName, string workflowId, string state);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Warning, Message = "Could not save the logs of container {ContainerName}")]
    public static partial void LogSaveFailed(ILogger logger, Exception exception, string containerName);

    [LoggerMessage(EventId = 3008, Level = LogLevel.Information, Message = "Reaper: removing the containers of workflow {WorkflowId} on {Endpoint}: {Why}")]
    public static partial void Reaping(ILogger logger, string workflowId, string endpoint, string why);

    [LoggerMessage(EventId = 3009, Level = LogLevel.Warning, Message = "Reaper: cannot scan Docker endpoint {Endpoint}")]
    public static partial void ReaperEndpointFailed(ILogger logger, Exception exception, string endpoint);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Warning, Message = "Reaper: skipping Docker endpoint {Endpoint} this pass: {Reason}")]
    public static partial void ReaperEndpointUnreachable(ILogger logger, string endpoint, string reason);

    [LoggerMessage(EventId = 3012, Level = LogLevel.Warning, Message = "Reaper: cannot read the Docker endpoints of {Source}")]
    public static partial void ReaperSourceFailed(ILogger logger, Exception exception, string source);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Error, Message = "Reaper pass failed")]
    public static partial void ReaperFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3013, Level = LogLevel.Warning, Message = "Started container {ContainerName}, but could not wait for it in the same call; WaitAction will")]
    public static partial void FirstWaitFailed(ILogger logger, Exception exception, string containerName);

    [LoggerMessage(EventId = 3014, Level = LogLevel.Warning, Message = "Container {ContainerName} exited 0, but the next action ({NextAction}) could not be started with its wait; its own start will try")]
    public static partial void NextStartFailed(ILogger logger, Exception exception, string containerName, string nextAction);

    [LoggerMessage(EventId = 3015, Level = LogLevel.Warning, Message = "Container {ContainerName} was seen to exit 0 but ended {State} ({ExitCode}): the next action's container {NextContainer}, started on that, is removed")]
    public static partial void NextStartTakenBack(ILogger logger, string containerName, string state, long? exitCode, string nextContainer);

    [LoggerMessage(EventId = 3016, Level = LogLevel.Warning, Message = "Could not remove the ended action container {ContainerId} yet; the workflow's cleanup will")]
    public static partial void RemoveEndedFailed(ILogger logger, Exception exception, string containerId);

    [LoggerMessage(EventId = 3017, Level = LogLevel.Information, Message = "Container {ContainerName} could not be started ahead of its turn; it is created to start at it")]
    public static partial void StartAheadFailed(ILogger logger, Exception exception, string containerName);

    [LoggerMessage(EventId = 3018, Level = LogLevel.Information, Message = "Container {ContainerName}, started ahead and not released ({State}), is replaced by one started now")]
    public static partial void HeldReplaced(ILogger logger, string containerName, string state);

    [LoggerMessage(EventId = 3019, Level = LogLevel.Debug, Message = "Container {ContainerName} is not prepared ahead: {Slots} preparations are under way; its start makes it")]
    public static partial void PrepareSkipped(ILogger logger, string containerName, int slots);
}
