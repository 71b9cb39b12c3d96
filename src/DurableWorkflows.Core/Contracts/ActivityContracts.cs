using DurableWorkflows.Core.Templates;

namespace DurableWorkflows.Core.Contracts;

/// <summary>The input of the workflow orchestration; the instance id is the workflow id.</summary>
public sealed record WorkflowInput(string WorkflowId, WorkflowDefinition Definition);

public sealed record StartServiceInput(string WorkflowId, ServiceDefinition Service);

public sealed record ServiceStarted(string ServiceName, string ContainerId, string ContainerName);

public sealed record AwaitServiceHealthyInput(string WorkflowId, ServiceDefinition Service, string ContainerId);

/// <summary>The outcome of waiting for a service to become ready.</summary>
public sealed record ServiceReadiness(
    string ServiceName,
    bool Ready,
    string State,
    string? Health,
    int Restarts,
    string? Reason,
    IReadOnlyList<string> LogTail);

public sealed record InspectServicesInput(string WorkflowId, IReadOnlyList<string> Workers);

/// <summary>A service container's state as Docker reports it.</summary>
public sealed record ServiceObservation(
    string ServiceName,
    string ContainerName,
    string State,
    string? Health,
    int Restarts,
    int? ExitCode);

/// <summary>The task-level settings an action inherits (worker, volumes, environment).</summary>
public sealed record TaskContext(
    string Name,
    string Worker,
    IReadOnlyList<string> Volumes,
    IReadOnlyDictionary<string, string> Environment);

/// <summary>Start (or find) the container of one attempt of an action, or of its on-failure / on-timeout handler.</summary>
public sealed record StartActionInput(
    string WorkflowId,
    TaskContext Task,
    ActionDefinition Action,
    int Attempt,
    ContainerRole Role,
    IReadOnlyList<string>? CommandOverride = null);

public sealed record ActionStarted(string ContainerId, string ContainerName, bool AlreadyExisted, DateTimeOffset StartedAt);

/// <summary>Wait up to <paramref name="MaxWait"/> for a container; kill it if <paramref name="Deadline"/> passes.</summary>
public sealed record WaitActionInput(
    string WorkflowId,
    string Worker,
    string ContainerId,
    DateTimeOffset? Deadline,
    TimeSpan MaxWait);

public enum ActionRunState
{
    Running,
    Exited,
    Killed,
}

public sealed record ActionWaitResult(
    ActionRunState State,
    long? ExitCode,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    IReadOnlyList<string> LogTail);

public sealed record CleanupWorkflowInput(string WorkflowId, IReadOnlyList<string> Workers);

public sealed record CleanupResult(IReadOnlyList<ContainerFinalState> Containers);

public sealed record ContainerFinalState(
    string ContainerName,
    ContainerRole Role,
    string? ServiceName,
    string State,
    long? ExitCode,
    int Restarts);
