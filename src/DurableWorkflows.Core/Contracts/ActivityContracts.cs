using System.Text.Json;
using System.Text.Json.Serialization;
using DurableWorkflows.Core.Templates;

namespace DurableWorkflows.Core.Contracts;

/// <summary>The input of the workflow orchestration; the instance id is the workflow id.</summary>
/// <param name="Settings">The engine's settings for this run; null means <see cref="WorkflowSettings.Default"/>.</param>
/// <param name="TraceParent">The W3C trace context of the request that started the workflow (its spans are that trace's), or null.</param>
/// <param name="Origin">What the workflow was made from, for its readers; null in inputs written before it existed.</param>
public sealed record WorkflowInput(string WorkflowId, WorkflowDefinition Definition, WorkflowSettings? Settings = null, string? TraceParent = null, WorkflowOrigin? Origin = null);

/// <summary>
/// What a workflow was made from, kept in its input for the people who read it (the dashboard, <c>GET /api/workflows/{id}/origin</c>)
/// and for a re-run; the orchestration never reads it.
/// </summary>
/// <param name="RenderedTemplate">The template as rendered for this run (the YAML its definition was read from).</param>
/// <param name="Vars">The template variables it was rendered with.</param>
/// <param name="Hardware">The Hardware record it was rendered with, as JSON, or null.</param>
/// <param name="RerunOf">The workflow this one re-runs, or null.</param>
public sealed record WorkflowOrigin(string? RenderedTemplate, IReadOnlyDictionary<string, string>? Vars, string? Hardware, string? RerunOf = null);

/// <param name="WorkerEndpoints">The run's <see cref="WorkflowSettings.WorkerEndpoints"/>: they win over host.json.</param>
public sealed record StartServiceInput(string WorkflowId, ServiceDefinition Service, IReadOnlyDictionary<string, string>? WorkerEndpoints = null)
{
    /// <summary>The start of one of a workflow's services, as its run asks for it.</summary>
    public static StartServiceInput Of(WorkflowInput workflow, ServiceDefinition service) =>
        new(workflow.WorkflowId, service, (workflow.Settings ?? WorkflowSettings.Default).WorkerEndpoints);
}

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

/// <summary>A service container's state as Docker reports it, typed by the container layer (see <see cref="DockerStatus"/>).</summary>
public sealed record ServiceObservation(
    string ServiceName,
    string ContainerName,
    DockerStatus State,
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
/// <paramref name="Then"/> and <paramref name="ThenPrepare"/>: the start of the next action, made by that wait as soon as
/// this one ends with exit code 0, and the container of the one after it, created meanwhile (<see cref="WaitActionInput.Then"/>).
/// </summary>
public sealed record StartActionInput(
    string WorkflowId,
    TaskContext Task,
    ActionDefinition Action,
    int Attempt,
    ContainerRole Role,
    IReadOnlyList<string>? CommandOverride = null,
    TimeSpan? WaitFor = null,
    IReadOnlyDictionary<string, string>? WorkerEndpoints = null,
    StartActionInput? Then = null,
    StartActionInput? ThenPrepare = null);

/// <summary>What PrepareAction did: created the container (or found it), or why it could not (the start reports it again).</summary>
public sealed record ActionPrepared(string ContainerName, bool Created, string? Error = null);

/// <summary>The started container; <paramref name="Waited"/>: what the wait of <see cref="StartActionInput.WaitFor"/> saw, if it ran.</summary>
public sealed record ActionStarted(string ContainerId, string ContainerName, bool AlreadyExisted, DateTimeOffset StartedAt, ActionWaitResult? Waited = null);

/// <summary>
/// Wait up to <paramref name="MaxWait"/> for a container; kill it if <paramref name="Deadline"/> passes.
/// <paramref name="Then"/> (settings revision 4): the start of the action after it, made by this call the moment the
/// container ends with exit code 0 (Docker's <c>die</c> event carries the code), so that the next action does not wait
/// for this one's output to be read and for the orchestration's round trip; reported in <see cref="ActionWaitResult.Next"/>.
/// <paramref name="ThenPrepare"/>: the container of the action after that one, created (not started) along with that
/// start, so that its own start later is one call. <paramref name="RemoveEnded"/> (revision 4): the container of the
/// action before this one on the same worker, which ended and whose end the run has recorded: removed along with that
/// start (its log was saved when it ended; without that start the workflow's cleanup removes it), as Tinkerbell's
/// worker removes each action's container after it. Both are Docker work done while Docker starts the next
/// container, not while this one's process runs and exits.
/// </summary>
public sealed record WaitActionInput(
    string WorkflowId,
    string Worker,
    string ContainerId,
    DateTimeOffset? Deadline,
    TimeSpan MaxWait,
    IReadOnlyDictionary<string, string>? WorkerEndpoints = null,
    StartActionInput? Then = null,
    string? RemoveEnded = null,
    StartActionInput? ThenPrepare = null);

public enum ActionRunState
{
    Running,
    Exited,
    Killed,
}

/// <param name="Next">The next action's container, started by this wait (<see cref="WaitActionInput.Then"/>) because
/// this one exited 0; null when it was not asked for, or its start failed (the next action's own start meets that again).</param>
public sealed record ActionWaitResult(
    ActionRunState State,
    long? ExitCode,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    IReadOnlyList<string> LogTail,
    ActionStarted? Next = null);

public sealed record CleanupWorkflowInput(string WorkflowId, IReadOnlyList<string> Workers, IReadOnlyDictionary<string, string>? WorkerEndpoints = null);

public sealed record CleanupResult(IReadOnlyList<ContainerFinalState> Containers);

public sealed record ContainerFinalState(
    string ContainerName,
    ContainerRole Role,
    string? ServiceName,
    string State,
    long? ExitCode,
    int Restarts);

/// <summary>
/// A container's state as Docker names it (<c>State.Status</c>: created, running, paused, restarting, removing, exited,
/// dead); the container layer parses Docker's word into it, and it is serialized as that word.
/// </summary>
[JsonConverter(typeof(DockerStatusConverter))]
public enum DockerStatus
{
    Created,
    Running,
    Paused,
    Restarting,
    Removing,
    Exited,
    Dead,
}

/// <summary>Writes <see cref="DockerStatus"/> as Docker's lower-case word; reads it in any case.</summary>
public sealed class DockerStatusConverter() : JsonStringEnumConverter<DockerStatus>(JsonNamingPolicy.CamelCase);
