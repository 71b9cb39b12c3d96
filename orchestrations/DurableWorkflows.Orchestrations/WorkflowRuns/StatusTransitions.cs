using DurableWorkflows.Core.Contracts;
using DurableWorkflows.Core.Templates;

namespace DurableWorkflows.Orchestrations.WorkflowRuns;

/// <summary>
/// The status algebra of a workflow: each function takes the status and a fact (what an activity reported, the time it
/// is now) and returns the next status, events included. Pure: no context, no I/O, so every transition is unit-tested
/// without a sidecar. The run (<see cref="WorkflowRun"/>) decides when a fact happened; this decides what it means.
/// </summary>
internal static class StatusTransitions
{
    // ---- services ----

    public static WorkflowStatus ServiceStarting(WorkflowStatus s, string service) =>
        WithService(s, service, v => v with { State = ServiceState.STARTING });

    public static WorkflowStatus ServiceStarted(WorkflowStatus s, string service, string containerName, DateTimeOffset now) =>
        WorkflowEvents.Append(
            WithService(s, service, v => v with { Container = containerName, StartedAt = now }),
            now,
            WorkflowEventKind.ServiceStarted,
            $"container {containerName} started",
            service: service);

    public static WorkflowStatus ServiceReady(WorkflowStatus s, string service, ServiceReadiness readiness, DateTimeOffset now) =>
        WorkflowEvents.Append(
            WithService(s, service, v => v with
            {
                State = ServiceState.READY,
                Health = readiness.Health,
                Restarts = readiness.Restarts,
                ReadyAt = now,
            }),
            now,
            WorkflowEventKind.ServiceHealthy,
            readiness.Health is null ? "running" : $"running, {readiness.Health}",
            service: service);

    /// <summary>Not ready yet: what the last look saw.</summary>
    public static WorkflowStatus ServicePending(WorkflowStatus s, string service, ServiceReadiness readiness) =>
        WithService(s, service, v => v with { Health = readiness.Health, Restarts = readiness.Restarts });

    public static WorkflowStatus ServiceFailed(
        WorkflowStatus s, string service, string reason, IReadOnlyList<string> logTail, ServiceReadiness? readiness, DateTimeOffset now) =>
        WorkflowEvents.Append(
            WithService(s, service, v => v with
            {
                State = ServiceState.FAILED,
                Reason = reason,
                LogTail = logTail,
                Health = readiness?.Health ?? v.Health,
                Restarts = readiness?.Restarts ?? v.Restarts,
            }),
            now,
            WorkflowEventKind.ServiceFailed,
            reason,
            service: service);

    /// <summary>The outcome's message when a service did not get ready: its reason and its last log lines.</summary>
    public static string ServiceFailureMessage(WorkflowStatus s, string service)
    {
        ServiceStatus? status = s.Service(service);
        string tail = status is { LogTail.Count: > 0 } ? $"; last log lines:\n{string.Join('\n', status.LogTail.TakeLast(WorkflowStatus.CompactLogLines))}" : string.Empty;
        return $"service {service} failed: {status?.Reason ?? "unknown reason"}{tail}";
    }

    /// <summary>
    /// What a look at a service's container saw while the tasks run: restarts since the last look, and a changed state or
    /// health. Never changes the workflow's state; a failed or removed service stays as it is.
    /// </summary>
    public static WorkflowStatus ServiceObserved(WorkflowStatus s, ServiceObservation seen, DateTimeOffset now)
    {
        ServiceStatus? before = s.Service(seen.ServiceName);
        if (before is null || before.State is ServiceState.FAILED or ServiceState.REMOVED)
        {
            return s;
        }

        s = Restarted(s, before, seen.Restarts, now);
        ServiceState state = ObservedState(seen.State, before.State);
        if (state == before.State && seen.Health == before.Health)
        {
            return s;
        }

        string exited = ServiceExitedMessage(seen.ExitCode);
        WorkflowStatus changed = WithService(s, before.Name, v => v with
        {
            State = state,
            Health = seen.Health,
            ExitCode = seen.ExitCode ?? v.ExitCode,
            Reason = state == ServiceState.EXITED ? exited : v.Reason,
        });
        return state == ServiceState.EXITED && before.State != ServiceState.EXITED
            ? WorkflowEvents.Append(changed, now, WorkflowEventKind.ServiceExited, exited, service: before.Name)
            : changed;
    }

    private static string ServiceExitedMessage(long? code) =>
        $"exited with code {code?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"}";

    /// <summary>A service's state from its container's: running is ready, restarting is restarting, stopped is exited; created or paused change nothing.</summary>
    public static ServiceState ObservedState(DockerStatus container, ServiceState before) => container switch
    {
        DockerStatus.Running => ServiceState.READY,
        DockerStatus.Restarting => ServiceState.RESTARTING,
        DockerStatus.Exited or DockerStatus.Dead or DockerStatus.Removing => ServiceState.EXITED,
        _ => before,
    };

    /// <summary>
    /// The workflow's cleanup removed its containers: each service is REMOVED (a FAILED one stays FAILED), with its last
    /// restarts and exit code; with <paramref name="exitFoundIsEvent"/> (revision 5, where nothing inspects the services
    /// alongside the last action), an exit the cleanup found that no inspect had seen is an event, as an inspect's would be.
    /// </summary>
    public static WorkflowStatus ServicesRemoved(WorkflowStatus s, CleanupResult result, DateTimeOffset now, bool exitFoundIsEvent = false)
    {
        foreach (ContainerFinalState container in result.Containers.Where(c => c.Role == ContainerRole.Service && c.ServiceName is not null))
        {
            ServiceStatus? before = s.Service(container.ServiceName!);
            if (before is null)
            {
                continue;
            }

            s = Restarted(s, before, container.Restarts, now);
            string? exited = exitFoundIsEvent && container is { State: "exited" or "dead", ExitCode: { } code }
                && before.State is not (ServiceState.EXITED or ServiceState.FAILED) ? ServiceExitedMessage(code) : null;
            if (exited is not null)
            {
                s = WorkflowEvents.Append(s, now, WorkflowEventKind.ServiceExited, exited, service: before.Name);
            }

            s = WithService(s, before.Name, v => v with
            {
                State = v.State == ServiceState.FAILED ? ServiceState.FAILED : ServiceState.REMOVED,
                ExitCode = container.ExitCode ?? v.ExitCode,
                Reason = exited ?? v.Reason,
            });
        }

        return s;
    }

    /// <summary>Docker restarted the service since <paramref name="before"/>: its count, and one event for the restarts seen at once.</summary>
    public static WorkflowStatus Restarted(WorkflowStatus s, ServiceStatus before, int restarts, DateTimeOffset now)
    {
        if (restarts <= before.Restarts)
        {
            return s;
        }

        int more = restarts - before.Restarts;
        return WorkflowEvents.Append(
            WithService(s, before.Name, v => v with { Restarts = restarts }),
            now,
            WorkflowEventKind.ServiceRestarted,
            more == 1 ? $"restarted (restart {restarts})" : $"restarted {more} times (restart {restarts})",
            service: before.Name);
    }

    // ---- tasks and actions ----

    /// <summary>Every service is ready: the workflow runs from now.</summary>
    public static WorkflowStatus Running(WorkflowStatus s, DateTimeOffset now) => s with { State = WorkflowState.RUNNING, StartedAt = now };

    public static WorkflowStatus TaskStarted(WorkflowStatus s, string task) =>
        WithTask(s, task, t => t with { State = ActionState.RUNNING }) with { CurrentTask = task };

    public static WorkflowStatus TaskEnded(WorkflowStatus s, string task, ActionState state) =>
        WithTask(s, task, t => t with { State = state });

    /// <summary>An attempt begins: the action is RUNNING afresh (what an earlier attempt left is cleared) and current.</summary>
    public static WorkflowStatus AttemptStarted(WorkflowStatus s, string task, string action, int attempt, DateTimeOffset now) =>
        WithAction(s, task, action, _ => ActionStatus.Pending(action) with
        {
            State = ActionState.RUNNING,
            Attempt = attempt,
            StartedAt = now,
        }) with { CurrentTask = task, CurrentAction = action };

    /// <summary>The attempt's container started (at Docker's start time).</summary>
    public static WorkflowStatus ContainerStarted(WorkflowStatus s, string task, string action, int attempt, string containerName, DateTimeOffset startedAt) =>
        WorkflowEvents.Append(
            WithAction(s, task, action, a => a with { Container = containerName, StartedAt = startedAt }),
            startedAt,
            WorkflowEventKind.ActionStarted,
            attempt == 1 ? $"started in {containerName}" : $"attempt {attempt} started in {containerName}",
            task,
            action);

    /// <summary>How an attempt ended.</summary>
    public sealed record AttemptEnd(
        ActionState State, long? ExitCode, DateTimeOffset StartedAt, DateTimeOffset FinishedAt, string? Message, IReadOnlyList<string> LogTail);

    /// <summary>What a container's end means for an attempt: killed at its deadline is TIMEOUT, exit 0 SUCCESS, else FAILED with the exit's wording.</summary>
    public static AttemptEnd AttemptEnded(ActionDefinition action, ActionWaitResult waited, DateTimeOffset containerStartedAt, DateTimeOffset now)
    {
        (ActionState state, string? message) = waited.State == ActionRunState.Killed
            ? (ActionState.TIMEOUT, $"killed after its timeout of {action.TimeoutSeconds} s")
            : waited.ExitCode == 0 ? (ActionState.SUCCESS, (string?)null) : (ActionState.FAILED, ExitMessage(waited.ExitCode));
        return new AttemptEnd(state, waited.ExitCode, waited.StartedAt ?? containerStartedAt, waited.FinishedAt ?? now, message, waited.LogTail);
    }

    /// <summary>An attempt that could not run (its container could not be started or waited for).</summary>
    public static AttemptEnd AttemptNotRun(string message, DateTimeOffset startedAt, DateTimeOffset now) =>
        new(ActionState.FAILED, null, startedAt, now, message, []);

    /// <summary>Records how an attempt ended, and its event.</summary>
    public static WorkflowStatus AttemptRecorded(WorkflowStatus s, string task, string action, int attempt, AttemptEnd end)
    {
        s = WithAction(s, task, action, a => a with
        {
            State = end.State,
            StartedAt = end.StartedAt,
            FinishedAt = end.FinishedAt,
            Seconds = Seconds(end.StartedAt, end.FinishedAt),
            ExitCode = end.ExitCode,
            Message = end.Message,
            LogTail = end.LogTail,
        });
        WorkflowEventKind kind = end.State switch
        {
            ActionState.SUCCESS => WorkflowEventKind.ActionSucceeded,
            ActionState.TIMEOUT => WorkflowEventKind.ActionTimedOut,
            _ => WorkflowEventKind.ActionFailed,
        };
        string text = end.State == ActionState.SUCCESS ? $"succeeded in {Seconds(end.StartedAt, end.FinishedAt):0.###} s" : end.Message ?? end.State.ToString();
        return WorkflowEvents.Append(s, end.FinishedAt, kind, attempt == 1 ? text : $"attempt {attempt}: {text}", task, action);
    }

    /// <summary>An attempt failed or timed out and another follows after <paramref name="backoff"/>.</summary>
    public static WorkflowStatus Retrying(
        WorkflowStatus s, string task, string action, int attempt, int attempts, ActionState state, TimeSpan backoff, DateTimeOffset now) =>
        WorkflowEvents.Append(
            s,
            now,
            WorkflowEventKind.ActionRetrying,
            $"attempt {attempt} of {attempts} {(state == ActionState.TIMEOUT ? "timed out" : "failed")}; retrying in {backoff.TotalSeconds:0.###} s",
            task,
            action);

    /// <summary>The backoff before the retry after <paramref name="attempt"/>: doubling from the first, capped, never negative.</summary>
    public static TimeSpan Backoff(WorkflowSettings settings, int attempt)
    {
        double factor = Math.Pow(2, Math.Min(attempt - 1, 30));
        TimeSpan backoff = TimeSpan.FromTicks((long)Math.Min(settings.RetryBackoff.Ticks * factor, settings.MaxRetryBackoff.Ticks));
        return backoff > TimeSpan.Zero ? backoff : TimeSpan.Zero;
    }

    public static WorkflowStatus HandlerStarted(WorkflowStatus s, string task, string action, string kind, DateTimeOffset now) =>
        WithAction(s, task, action, a => a with { Handler = new HandlerResult(kind, ActionState.RUNNING, null, now, null, null, null, []) });

    /// <summary>How a handler's container ended: killed at the action's deadline is TIMEOUT, else by its exit code.</summary>
    public static HandlerResult HandlerEnded(string kind, ActionDefinition action, ActionWaitResult waited, DateTimeOffset containerStartedAt, DateTimeOffset now)
    {
        DateTimeOffset startedAt = waited.StartedAt ?? containerStartedAt;
        DateTimeOffset finishedAt = waited.FinishedAt ?? now;
        (ActionState state, string message) = waited.State == ActionRunState.Killed
            ? (ActionState.TIMEOUT, $"killed after {action.TimeoutSeconds} s")
            : (waited.ExitCode == 0 ? ActionState.SUCCESS : ActionState.FAILED, ExitMessage(waited.ExitCode));
        return new HandlerResult(kind, state, waited.ExitCode, startedAt, finishedAt, Seconds(startedAt, finishedAt), message, waited.LogTail);
    }

    public static HandlerResult HandlerNotRun(string kind, string error, DateTimeOffset startedAt, DateTimeOffset now) =>
        new(kind, ActionState.FAILED, null, startedAt, now, Seconds(startedAt, now), $"could not run: {error}", []);

    public static WorkflowStatus HandlerRecorded(WorkflowStatus s, string task, string action, HandlerResult result, DateTimeOffset now) =>
        WorkflowEvents.Append(
            WithAction(s, task, action, a => a with { Handler = result }),
            result.FinishedAt ?? now,
            WorkflowEventKind.HandlerRan,
            $"{result.Kind} {result.Message}",
            task,
            action);

    /// <summary>The outcome of a task whose action ended in <paramref name="result"/> other than SUCCESS.</summary>
    public static WorkflowOutcome ActionOutcome(string task, string action, ActionStatus result)
    {
        string verb = result.State == ActionState.TIMEOUT ? "timed out" : "failed";
        return new WorkflowOutcome(
            result.State == ActionState.TIMEOUT ? WorkflowState.TIMEOUT : WorkflowState.FAILED,
            $"action {task}/{action} {verb}: {result.Message}");
    }

    // ---- agents ----

    /// <summary>An attempt (or, with <paramref name="isAction"/> false, its handler) is offered to an agent: the status carries the offer.</summary>
    public static WorkflowStatus Offered(WorkflowStatus s, AgentOffer offer, bool isAction) =>
        WorkflowEvents.Append(
            (isAction ? WithAction(s, offer.Task, offer.Action, a => a with { Agent = offer.AgentId }) : s) with { Offer = offer },
            offer.OfferedAt,
            WorkflowEventKind.ActionOffered,
            $"{(isAction ? "" : "handler ")}offered to agent {offer.AgentId}" + (offer.Attempt == 1 ? "" : $" (attempt {offer.Attempt})"),
            offer.Task,
            offer.Action);

    /// <summary>The agent reported RUNNING: the attempt runs from now; an agent that asks again is handed it again.</summary>
    public static WorkflowStatus AgentRunning(WorkflowStatus s, AgentOffer offer, DateTimeOffset startedAt, bool isAction) =>
        WorkflowEvents.Append(
            (isAction ? WithAction(s, offer.Task, offer.Action, a => a with { StartedAt = startedAt }) : s) with { Offer = offer },
            startedAt,
            WorkflowEventKind.ActionStarted,
            $"{(isAction ? "" : "handler ")}started on agent {offer.AgentId}" + (offer.Attempt == 1 ? "" : $" (attempt {offer.Attempt})"),
            offer.Task,
            offer.Action);

    /// <summary>What an agent's final report means for the attempt.</summary>
    public static AttemptEnd AgentEnded(string agent, AgentReport report, DateTimeOffset startedAt, DateTimeOffset now)
    {
        ActionState state = report.State switch
        {
            AgentActionState.SUCCESS => ActionState.SUCCESS,
            AgentActionState.TIMEOUT => ActionState.TIMEOUT,
            _ => ActionState.FAILED,
        };
        string? said = string.IsNullOrWhiteSpace(report.Message) ? null : report.Message.Trim();
        string? message = state switch
        {
            ActionState.SUCCESS => null,
            ActionState.TIMEOUT => $"timed out on agent {agent}" + (said is null ? "" : $": {said}"),
            _ => $"failed on agent {agent}" + (said is null ? "" : $": {said}"),
        };
        return new AttemptEnd(state, null, startedAt, now, message, []);
    }

    /// <summary>A handler that ran on an agent, as the handler's result.</summary>
    public static HandlerResult HandlerOnAgent(string kind, AttemptEnd end) =>
        new(kind, end.State, null, end.StartedAt, end.FinishedAt, Seconds(end.StartedAt, end.FinishedAt), end.Message ?? "succeeded", []);

    // ---- the end ----

    /// <summary>The final status: the outcome's state, what never ran SKIPPED, what was running interrupted, the finished event.</summary>
    public static WorkflowStatus Finish(WorkflowStatus status, WorkflowOutcome outcome, DateTimeOffset now)
    {
        ActionState interrupted = outcome.State switch
        {
            WorkflowState.TIMEOUT => ActionState.TIMEOUT,
            WorkflowState.CANCELLED => ActionState.CANCELLED,
            _ => ActionState.FAILED,
        };
        WorkflowStatus s = status with
        {
            Tasks = [.. status.Tasks.Select(t => t with
            {
                State = t.State switch
                {
                    ActionState.PENDING => ActionState.SKIPPED,
                    ActionState.RUNNING => outcome.State == WorkflowState.SUCCESS ? ActionState.SUCCESS : interrupted,
                    _ => t.State,
                },
                Actions = [.. t.Actions.Select(a => a.State switch
                {
                    ActionState.PENDING => a with { State = ActionState.SKIPPED, Message = "not run: the workflow ended before it" },
                    ActionState.RUNNING => a with
                    {
                        State = interrupted,
                        FinishedAt = now,
                        Seconds = a.StartedAt is { } started ? Seconds(started, now) : null,
                        Message = $"killed: {outcome.Message}",
                    },
                    _ => a,
                })],
            })],
            Services = [.. status.Services.Select(v => v.State == ServiceState.PENDING ? v with { State = ServiceState.REMOVED, Reason = v.Reason ?? "not started" } : v)],
            State = outcome.State,
            Message = Join(outcome.Message, status.Message),
            FinishedAt = now,
            Offer = null,
        };
        if (outcome.State == WorkflowState.SUCCESS)
        {
            s = s with { CurrentTask = null, CurrentAction = null };
        }

        foreach (WorkflowTaskStatus task in status.Tasks)
        {
            foreach (ActionStatus action in task.Actions.Where(a => a.State == ActionState.RUNNING))
            {
                s = WorkflowEvents.Append(
                    s,
                    now,
                    interrupted == ActionState.TIMEOUT ? WorkflowEventKind.ActionTimedOut : WorkflowEventKind.ActionFailed,
                    $"killed: {outcome.Message}",
                    task.Name,
                    action.Name);
            }
        }

        return WorkflowEvents.Append(s, now, WorkflowEventKind.WorkflowFinished, Join(outcome.State.ToString(), outcome.Message)!);
    }

    /// <summary>The cleanup failed after every retry: the message says so (the reaper removes what is left).</summary>
    public static WorkflowStatus CleanupFailed(WorkflowStatus s, string error) => s with { Message = Join(s.Message, $"cleanup failed: {error}") };

    // ---- wording ----

    /// <summary>
    /// "exited with code N", and for a container ended by a signal (code 128 + N, as Docker reports it) which one: a
    /// SIGTERM or SIGKILL the workflow did not send came from outside (docker stop or kill, the Docker engine shutting
    /// down, the kernel out of memory).
    /// </summary>
    public static string ExitMessage(long? code) => code switch
    {
        null => "exited with code ?",
        143 => "exited with code 143 (SIGTERM: stopped from outside the workflow, e.g. by docker stop or the Docker engine shutting down)",
        137 => "exited with code 137 (SIGKILL: killed from outside the workflow, e.g. by docker kill, the Docker engine or the kernel out of memory)",
        > 128 and < 160 => $"exited with code {code} (killed by signal {code - 128})",
        _ => $"exited with code {code}",
    };

    public static double Seconds(DateTimeOffset from, DateTimeOffset to) => Math.Round(Math.Max(0, (to - from).TotalSeconds), 3);

    private static string? Join(string? first, string? second) =>
        string.IsNullOrEmpty(first) ? second : string.IsNullOrEmpty(second) ? first : $"{first}; {second}";

    private static WorkflowStatus WithTask(WorkflowStatus s, string task, Func<WorkflowTaskStatus, WorkflowTaskStatus> change) =>
        s with { Tasks = [.. s.Tasks.Select(t => t.Name == task ? change(t) : t)] };

    private static WorkflowStatus WithAction(WorkflowStatus s, string task, string action, Func<ActionStatus, ActionStatus> change) =>
        WithTask(s, task, t => t with { Actions = [.. t.Actions.Select(a => a.Name == action ? change(a) : a)] });

    private static WorkflowStatus WithService(WorkflowStatus s, string service, Func<ServiceStatus, ServiceStatus> change) =>
        s with { Services = [.. s.Services.Select(v => v.Name == service ? change(v) : v)] };
}
