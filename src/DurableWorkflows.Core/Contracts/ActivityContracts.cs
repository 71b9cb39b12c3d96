using DurableWorkflows.Core.Templates;

namespace DurableWorkflows.Core.Contracts;

/// <summary>The input of the workflow orchestration; the instance id is the workflow id.</summary>
/// <param name="Settings">The engine's settings for this run; null means <see cref="WorkflowSettings.Default"/>.</param>
public sealed record WorkflowInput(string WorkflowId, WorkflowDefinition Definition, WorkflowSettings? Settings = null);

/// <summary>How the orchestration paces its activities. Tests shrink these.</summary>
public sealed record WorkflowSettings
{
    /// <summary>
    /// The revision new runs get. 1: the next action's container is created while the action before it starts and runs,
    /// an action's start call also waits <see cref="FirstWait"/> for it to end, and the services are inspected while an
    /// action starts rather than before it; a container step whose Docker engine cannot be reached is tried again
    /// (<see cref="EngineUnreachableAttempts"/>).
    /// </summary>
    public const int LatestRevision = 1;

    /// <summary>The settings of a run before revisions existed (revision 0); what a null <see cref="WorkflowInput.Settings"/> means.</summary>
    public static WorkflowSettings Default { get; } = new();

    /// <summary>
    /// Which revision of the orchestration's scheduling the run was started with. A run keeps it for its whole life, so
    /// the history of a run started before an upgrade replays unchanged after it; 0 (the default of inputs written
    /// before the field existed) is the first revision: each action's container created when it starts, services
    /// inspected before each action.
    /// </summary>
    public int Revision { get; init; }

    /// <summary>
    /// Revision 1 and later: how long an action's start call also waits for its container to end, so that a short
    /// action takes one call; a longer one is then waited for with WaitAction (and its container shows in the status).
    /// </summary>
    public TimeSpan FirstWait { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The settings of a new run of <paramref name="definition"/>: the latest revision, the engine's MaxWait, and the
    /// worker endpoints of its <paramref name="hardware"/> record, if any.
    /// </summary>
    public static WorkflowSettings ForNewRun(TimeSpan maxWait, WorkflowDefinition? definition = null, HardwareRecord? hardware = null) => new()
    {
        Revision = LatestRevision,
        MaxWait = maxWait,
        WorkerEndpoints = definition is null ? null : hardware?.WorkerEndpoints(definition),
    };

    /// <summary>The longest one WaitAction / AwaitServiceHealthy call waits before it reports back (host.json MaxWaitSeconds).</summary>
    public TimeSpan MaxWait { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The durable-timer backoff before the first retry of an action; doubled for each further retry.</summary>
    public TimeSpan RetryBackoff { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The cap of the retry backoff.</summary>
    public TimeSpan MaxRetryBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How many times CleanupWorkflow is tried before the workflow gives up on it (the reaper then removes what is left).</summary>
    public int CleanupAttempts { get; init; } = 5;

    /// <summary>The first interval between CleanupWorkflow attempts; doubled for each further attempt.</summary>
    public TimeSpan CleanupRetryInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Workers whose Docker endpoint this run knows without host.json: a worker that is one of the MACs of the
    /// workflow's hardware record, mapped to the record's endpoint. Resolved once at the start, so every node and every
    /// replay resolves the same way; null (the default) when there is none.
    /// </summary>
    public IReadOnlyDictionary<string, string>? WorkerEndpoints { get; init; }

    /// <summary>
    /// How many times a container activity is tried while its Docker engine cannot be reached (a restarting engine comes
    /// back within seconds); after that the step fails with the engine's error. 1 turns the grace off.
    /// </summary>
    public int EngineUnreachableAttempts { get; init; } = 5;

    /// <summary>The first interval between those attempts; doubled for each further one (capped by <see cref="MaxRetryBackoff"/>).</summary>
    public TimeSpan EngineUnreachableRetryInterval { get; init; } = TimeSpan.FromSeconds(1);
}

/// <param name="WorkerEndpoints">The run's <see cref="WorkflowSettings.WorkerEndpoints"/>: they win over host.json.</param>
public sealed record StartServiceInput(string WorkflowId, ServiceDefinition Service, IReadOnlyDictionary<string, string>? WorkerEndpoints = null);

public sealed record ServiceStarted(string ServiceName, string ContainerId, string ContainerName);

/// <summary>
/// Wait up to <paramref name="MaxWait"/> (null: the engine's default) for a service to be ready; it has failed when it
/// exits or turns unhealthy before it is ready, or when <paramref name="Deadline"/> (its startup timeout) passes.
/// </summary>
public sealed record AwaitServiceHealthyInput(
    string WorkflowId,
    ServiceDefinition Service,
    string ContainerId,
    DateTimeOffset? Deadline = null,
    TimeSpan? MaxWait = null,
    IReadOnlyDictionary<string, string>? WorkerEndpoints = null);

/// <summary>
/// The outcome of waiting for a service to become ready: <paramref name="Ready"/>, or failed
/// (neither ready nor pending, with <paramref name="Reason"/> and <paramref name="LogTail"/>), or
/// <paramref name="Pending"/>: not ready yet within MaxWait, the orchestration asks again.
/// </summary>
public sealed record ServiceReadiness(
    string ServiceName,
    bool Ready,
    string State,
    string? Health,
    int Restarts,
    string? Reason,
    IReadOnlyList<string> LogTail,
    bool Pending = false);

/// <summary>Inspect every service container of the workflow; the output is an <c>IReadOnlyList&lt;ServiceObservation&gt;</c>.</summary>
public sealed record InspectServicesInput(string WorkflowId, IReadOnlyList<string> Workers, IReadOnlyDictionary<string, string>? WorkerEndpoints = null);

/// <summary>A service container's state as Docker reports it (State: created, running, restarting, exited, ...).</summary>
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

/// <summary>
/// Start (or find) the container of one attempt of an action, or of its on-failure / on-timeout handler. With
/// <paramref name="WaitFor"/>, the same call then waits up to that long for the container to end (killing it at the
/// action's <see cref="ActionDefinition.DeadlineAfter"/> its start), so a short action needs one call, not two.
/// </summary>
public sealed record StartActionInput(
    string WorkflowId,
    TaskContext Task,
    ActionDefinition Action,
    int Attempt,
    ContainerRole Role,
    IReadOnlyList<string>? CommandOverride = null,
    TimeSpan? WaitFor = null,
    IReadOnlyDictionary<string, string>? WorkerEndpoints = null);

/// <summary>What PrepareAction did: created the container (or found it), or why it could not (the start reports it again).</summary>
public sealed record ActionPrepared(string ContainerName, bool Created, string? Error = null);

/// <summary>The started container; <paramref name="Waited"/>: what the wait of <see cref="StartActionInput.WaitFor"/> saw, if it ran.</summary>
public sealed record ActionStarted(string ContainerId, string ContainerName, bool AlreadyExisted, DateTimeOffset StartedAt, ActionWaitResult? Waited = null);

/// <summary>Wait up to <paramref name="MaxWait"/> for a container; kill it if <paramref name="Deadline"/> passes.</summary>
public sealed record WaitActionInput(
    string WorkflowId,
    string Worker,
    string ContainerId,
    DateTimeOffset? Deadline,
    TimeSpan MaxWait,
    IReadOnlyDictionary<string, string>? WorkerEndpoints = null);

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

public sealed record CleanupWorkflowInput(string WorkflowId, IReadOnlyList<string> Workers, IReadOnlyDictionary<string, string>? WorkerEndpoints = null);

public sealed record CleanupResult(IReadOnlyList<ContainerFinalState> Containers);

public sealed record ContainerFinalState(
    string ContainerName,
    ContainerRole Role,
    string? ServiceName,
    string State,
    long? ExitCode,
    int Restarts);
