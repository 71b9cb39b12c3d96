using System.Text.Json.Serialization;
using DurableWorkflows.Core.Templates;

namespace DurableWorkflows.Core.Contracts;

/// <summary>The states of a workflow (Tinkerbell's names). Serialized as their names.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<WorkflowState>))]
public enum WorkflowState
{
    PENDING,
    RUNNING,
    SUCCESS,
    FAILED,
    TIMEOUT,
    CANCELLED,
}

/// <summary>The states of one action.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ActionState>))]
public enum ActionState
{
    PENDING,
    RUNNING,
    SUCCESS,
    FAILED,
    TIMEOUT,
    CANCELLED,
    SKIPPED,
}

/// <summary>The states of a workflow service, as the workflow last saw it.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ServiceState>))]
public enum ServiceState
{
    /// <summary>Not started yet.</summary>
    PENDING,

    /// <summary>Container started; waiting for it to run (and be healthy when it has a HEALTHCHECK).</summary>
    STARTING,

    /// <summary>Running, and healthy when it has a HEALTHCHECK.</summary>
    READY,

    /// <summary>Docker is restarting it after an error exit.</summary>
    RESTARTING,

    /// <summary>Stopped after it was ready (by itself or for good); the workflow goes on.</summary>
    EXITED,

    /// <summary>Did not get ready: the workflow failed because of it.</summary>
    FAILED,

    /// <summary>Removed by the workflow's cleanup.</summary>
    REMOVED,
}

/// <summary>
/// The status of one workflow: the orchestration's custom status while it runs (trimmed with
/// <see cref="Compact"/>) and its output when it ends. Immutable; changed with <c>with</c>.
/// </summary>
/// <param name="Id">The workflow id (the orchestration instance id).</param>
/// <param name="Name">The template's name.</param>
/// <param name="State">PENDING while the services start, RUNNING from the first action, then the final state.</param>
/// <param name="CreatedAt">When the orchestration began.</param>
/// <param name="StartedAt">When the first task began (every service was ready).</param>
/// <param name="FinishedAt">When the workflow reached its final state (after the cleanup).</param>
/// <param name="Message">Why the workflow failed, timed out or was cancelled.</param>
/// <param name="Events">The workflow's domain events in order, oldest first; bounded (see <see cref="WorkflowEvents"/>).</param>
/// <param name="Offer">The action offered to an agent while the workflow waits for it (see <see cref="AgentOffer"/>).</param>
public sealed record WorkflowStatus(
    string Id,
    string Name,
    WorkflowState State,
    IReadOnlyList<ServiceStatus> Services,
    IReadOnlyList<WorkflowTaskStatus> Tasks,
    string? CurrentTask,
    string? CurrentAction,
    DateTimeOffset? CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    string? Message,
    IReadOnlyList<WorkflowEvent> Events,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] AgentOffer? Offer = null)
{
    /// <summary>Log lines kept per service, action or handler in the custom status.</summary>
    public const int CompactLogLines = 5;

    /// <summary>Events kept in the custom status (the newest).</summary>
    public const int CompactEvents = 30;

    /// <summary>True when the workflow reached a final state.</summary>
    [JsonIgnore]
    public bool IsFinished => State is WorkflowState.SUCCESS or WorkflowState.FAILED or WorkflowState.TIMEOUT or WorkflowState.CANCELLED;

    /// <summary>The status of a workflow that has not started anything yet: every service and action PENDING.</summary>
    public static WorkflowStatus Pending(string workflowId, WorkflowDefinition definition, DateTimeOffset createdAt)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return new WorkflowStatus(
            workflowId,
            definition.Name,
            WorkflowState.PENDING,
            [.. definition.Services.Select(s => ServiceStatus.Pending(s.Name))],
            [.. definition.Tasks.Select(t => new WorkflowTaskStatus(
                t.Name,
                t.Worker,
                ActionState.PENDING,
                [.. t.Actions.Select(a => ActionStatus.Pending(a.Name))]))],
            CurrentTask: null,
            CurrentAction: null,
            CreatedAt: createdAt,
            StartedAt: null,
            FinishedAt: null,
            Message: null,
            Events: []);
    }

    /// <summary>A copy small enough for the runtime's custom status: short log tails, the newest events.</summary>
    public WorkflowStatus Compact(int logLines = CompactLogLines, int events = CompactEvents) => this with
    {
        Services = [.. Services.Select(s => s with { LogTail = Tail(s.LogTail, logLines) })],
        Tasks = [.. Tasks.Select(t => t with
        {
            Actions = [.. t.Actions.Select(a => a with
            {
                LogTail = Tail(a.LogTail, logLines),
                Handler = a.Handler is null ? null : a.Handler with { LogTail = Tail(a.Handler.LogTail, logLines) },
            })],
        })],
        Events = Tail(Events, events),
    };

    /// <summary>The service of that name, or null.</summary>
    public ServiceStatus? Service(string name) => Services.FirstOrDefault(s => s.Name == name);

    /// <summary>The action of that task and name, or null.</summary>
    public ActionStatus? Action(string task, string action) =>
        Tasks.FirstOrDefault(t => t.Name == task)?.Actions.FirstOrDefault(a => a.Name == action);

    internal static IReadOnlyList<T> Tail<T>(IReadOnlyList<T>? items, int count) =>
        items is null ? [] : items.Count <= count ? items : [.. items.Skip(items.Count - count)];
}

/// <summary>One workflow service as the workflow last saw it.</summary>
/// <param name="Container">The container's name.</param>
/// <param name="Restarts">How many times Docker restarted it.</param>
/// <param name="Health">Docker's health status (starting, healthy, unhealthy), null without a HEALTHCHECK.</param>
/// <param name="Reason">Why it failed or exited.</param>
/// <param name="LogTail">Its last log lines (when it failed or exited).</param>
public sealed record ServiceStatus(
    string Name,
    ServiceState State,
    string? Container,
    int Restarts,
    string? Health,
    string? Reason,
    IReadOnlyList<string> LogTail,
    DateTimeOffset? StartedAt = null,
    DateTimeOffset? ReadyAt = null,
    long? ExitCode = null)
{
    public static ServiceStatus Pending(string name) => new(name, ServiceState.PENDING, null, 0, null, null, []);
}

/// <summary>One task: its actions in order.</summary>
/// <param name="State">PENDING, RUNNING, then SUCCESS or the state of the action that ended it.</param>
public sealed record WorkflowTaskStatus(
    string Name,
    string Worker,
    ActionState State,
    IReadOnlyList<ActionStatus> Actions);

/// <summary>One action: its last attempt.</summary>
/// <param name="Attempt">1 for the first run, 2 for the first retry, ...; 0 while it has not run.</param>
/// <param name="Seconds">How long the last attempt ran.</param>
/// <param name="Message">Why it failed, timed out, was cancelled or skipped.</param>
/// <param name="LogTail">The last log lines of its last attempt.</param>
/// <param name="Container">The container of its last attempt.</param>
/// <param name="Handler">The on-failure / on-timeout handler's result, when one ran.</param>
/// <param name="Agent">The ID of the agent that ran its last attempt, when an agent serves its worker.</param>
public sealed record ActionStatus(
    string Name,
    ActionState State,
    int Attempt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    double? Seconds,
    long? ExitCode,
    string? Message,
    IReadOnlyList<string> LogTail,
    string? Container = null,
    HandlerResult? Handler = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Agent = null)
{
    public static ActionStatus Pending(string name) => new(name, ActionState.PENDING, 0, null, null, null, null, null, []);
}

/// <summary>The result of an action's on-failure or on-timeout command.</summary>
/// <param name="Kind"><c>on-failure</c> or <c>on-timeout</c>.</param>
/// <param name="State">SUCCESS (exit 0), FAILED, TIMEOUT or CANCELLED.</param>
public sealed record HandlerResult(
    string Kind,
    ActionState State,
    long? ExitCode,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    double? Seconds,
    string? Message,
    IReadOnlyList<string> LogTail)
{
    public const string OnFailure = "on-failure";
    public const string OnTimeout = "on-timeout";
}

/// <summary>Sent with the <see cref="EventNames.Cancel"/> external event to cancel a workflow gracefully.</summary>
public sealed record CancelRequest(string? Reason = null);
