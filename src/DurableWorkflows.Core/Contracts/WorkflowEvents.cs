using System.Text.Json.Serialization;

namespace DurableWorkflows.Core.Contracts;

/// <summary>What happened to a workflow.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<WorkflowEventKind>))]
public enum WorkflowEventKind
{
    ServiceStarted,
    ServiceHealthy,
    ServiceFailed,
    ServiceExited,
    ServiceRestarted,
    ActionStarted,
    ActionSucceeded,
    ActionFailed,
    ActionTimedOut,
    ActionRetrying,
    HandlerRan,
    WorkflowFinished,

    /// <summary>An action (or its handler) was offered to the agent of its worker.</summary>
    ActionOffered,
}

/// <summary>One domain event of a workflow.</summary>
/// <param name="Sequence">1, 2, 3, ... in the order the workflow recorded them; never reused.</param>
/// <param name="Timestamp">When it happened: Docker's time where the container reported one, else the orchestration's time.</param>
public sealed record WorkflowEvent(
    long Sequence,
    DateTimeOffset Timestamp,
    WorkflowEventKind Kind,
    string? Task,
    string? Action,
    string? Service,
    string Message);

/// <summary>
/// The workflow's domain events. The orchestrator records each event in its status as the status changes
/// (<see cref="Append"/>), so events need no orchestration history: the server reads them from the custom
/// status while the workflow runs and from the output when it ended. The custom status keeps the newest
/// <see cref="WorkflowStatus.CompactEvents"/>, the output the newest <see cref="MaxEvents"/>; a reader that
/// polls passes the last sequence it saw to <see cref="After"/>.
/// </summary>
public static class WorkflowEvents
{
    /// <summary>Events kept in the output (the newest).</summary>
    public const int MaxEvents = 500;

    /// <summary>The status with the event appended under the next sequence number.</summary>
    public static WorkflowStatus Append(
        WorkflowStatus status,
        DateTimeOffset timestamp,
        WorkflowEventKind kind,
        string message,
        string? task = null,
        string? action = null,
        string? service = null)
    {
        ArgumentNullException.ThrowIfNull(status);
        long sequence = status.Events.Count == 0 ? 1 : status.Events[^1].Sequence + 1;
        var appended = new List<WorkflowEvent>(status.Events) { new(sequence, timestamp, kind, task, action, service, message) };
        return status with { Events = WorkflowStatus.Tail(appended, MaxEvents) };
    }

    /// <summary>The events of <paramref name="status"/> after sequence <paramref name="afterSequence"/>, in order.</summary>
    public static IReadOnlyList<WorkflowEvent> After(WorkflowStatus? status, long afterSequence = 0) =>
        status is null ? [] : [.. status.Events.Where(e => e.Sequence > afterSequence).OrderBy(e => e.Sequence)];

    /// <summary>
    /// The events of successive snapshots of one workflow (custom status polls, then the output), each once,
    /// in order. Snapshots may overlap, repeat or skip; events a bounded snapshot dropped are not recovered.
    /// </summary>
    public static IReadOnlyList<WorkflowEvent> From(IEnumerable<WorkflowStatus?> snapshots)
    {
        ArgumentNullException.ThrowIfNull(snapshots);
        var all = new SortedDictionary<long, WorkflowEvent>();
        foreach (WorkflowStatus? snapshot in snapshots)
        {
            foreach (WorkflowEvent e in After(snapshot))
            {
                all.TryAdd(e.Sequence, e);
            }
        }

        return [.. all.Values];
    }

    /// <summary>One line for a terminal: <c>12:00:01 task/action: message</c>.</summary>
    public static string Format(WorkflowEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        string subject = e.Service is not null ? $"service {e.Service}"
            : e.Action is not null ? $"{e.Task}/{e.Action}"
            : e.Task ?? "workflow";
        return $"{e.Timestamp.UtcDateTime:HH:mm:ss} {subject}: {e.Message}";
    }
}
