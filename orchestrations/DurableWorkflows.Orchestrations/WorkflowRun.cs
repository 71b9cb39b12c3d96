using DurableWorkflows.Core.Contracts;
using DurableWorkflows.Core.Templates;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace DurableWorkflows.Orchestrations;

/// <summary>
/// The steps of one workflow and its status. Lives for one replay of the orchestration, so it may hold state;
/// it uses only the context's time, timers and activities. After <see cref="Stop"/> (the body lost the race
/// to the global timeout or the cancel event) the body schedules nothing more and changes nothing.
/// </summary>
internal sealed class WorkflowRun
{
    private readonly TaskOrchestrationContext context;
    private readonly WorkflowDefinition definition;
    private readonly WorkflowSettings settings;
    private readonly IReadOnlyList<string> workers;
    private readonly IReadOnlyList<(TaskDefinition Task, ActionDefinition Action)> order;
    private int position = -1;
    private int prepared = -1;
    private Task preparing = Task.CompletedTask;
    private bool stopped;
    private int startsInFlight;
    private bool servicesFailed;

    public WorkflowRun(TaskOrchestrationContext context, WorkflowInput input)
    {
        this.context = context;
        definition = input.Definition;
        settings = input.Settings ?? WorkflowSettings.Default;
        WorkflowId = input.WorkflowId;
        workers = [.. definition.Services.Select(s => s.Worker).Concat(definition.Tasks.Select(t => t.Worker)).Distinct(StringComparer.Ordinal)];
        order = [.. definition.Tasks.SelectMany(t => t.Actions.Select(a => (t, a)))];
        Status = WorkflowStatus.Pending(WorkflowId, definition, Now);
    }

    public string WorkflowId { get; }

    public WorkflowStatus Status { get; private set; }

    private DateTimeOffset Now => new(DateTime.SpecifyKind(context.CurrentUtcDateTime, DateTimeKind.Utc));

    /// <summary>Publishes the status, compacted, as the orchestration's custom status.</summary>
    public void Publish() => context.SetCustomStatus(Status.Compact());

    /// <summary>The body: every service ready, then every task's actions in order.</summary>
    public async Task<WorkflowOutcome> RunServicesThenTasksAsync()
    {
        try
        {
            return await RunBodyAsync();
        }
        finally
        {
            // A container still being prepared must exist before the cleanup looks for the workflow's containers.
            await preparing;
        }
    }

    /// <summary>Revision 1 and later: the next action's container is prepared ahead and services inspected alongside.</summary>
    private bool Pipelined => settings.Revision >= 1;

    private async Task<WorkflowOutcome> RunBodyAsync()
    {
        PrepareAt(0);
        WorkflowOutcome? failure = await StartServicesAsync();
        if (failure is not null)
        {
            return failure;
        }

        Update(s => s with { State = WorkflowState.RUNNING, StartedAt = Now });
        foreach (TaskDefinition task in definition.Tasks)
        {
            Update(s => WithTask(s, task.Name, t => t with { State = ActionState.RUNNING }) with { CurrentTask = task.Name });
            foreach (ActionDefinition action in task.Actions)
            {
                position++;
                Task inspecting = Task.CompletedTask;
                if (definition.Services.Count > 0)
                {
                    inspecting = InspectServicesAsync();
                    if (!Pipelined)
                    {
                        await inspecting;
                    }
                }

                await preparing;
                ActionStatus result = await RunActionAsync(task, action);
                await inspecting;
                if (result.State != ActionState.SUCCESS)
                {
                    Update(s => WithTask(s, task.Name, t => t with { State = result.State }));
                    string verb = result.State == ActionState.TIMEOUT ? "timed out" : "failed";
                    return new WorkflowOutcome(
                        result.State == ActionState.TIMEOUT ? WorkflowState.TIMEOUT : WorkflowState.FAILED,
                        $"action {task.Name}/{action.Name} {verb}: {result.Message}");
                }
            }

            Update(s => WithTask(s, task.Name, t => t with { State = ActionState.SUCCESS }));
        }

        return new WorkflowOutcome(WorkflowState.SUCCESS, null);
    }

    /// <summary>
    /// Pipelined runs: creates the container of the first attempt of the action at <paramref name="index"/> (in the
    /// workflow's order) while what comes before it runs. Scheduled once per action; its start finds it created.
    /// </summary>
    private void PrepareAt(int index)
    {
        if (!Pipelined || stopped || index >= order.Count || index <= prepared)
        {
            return;
        }

        prepared = index;
        (TaskDefinition task, ActionDefinition action) = order[index];
        preparing = PrepareAsync(new StartActionInput(WorkflowId, ToContext(task), action, 1, ContainerRole.Action, WorkerEndpoints: settings.WorkerEndpoints));
    }

    private async Task PrepareAsync(StartActionInput input)
    {
        try
        {
            await CallStartAsync<ActionPrepared>(ActivityNames.PrepareAction, input, bestEffort: true);
        }
        catch (TaskFailedException)
        {
            // Best effort: the action's start meets the same problem and reports it as the action's failure.
        }
    }

    /// <summary>Stops the body: from now on it schedules nothing and changes nothing.</summary>
    public void Stop() => stopped = true;

    /// <summary>True while a StartService or StartAction call is out: its container may appear after a cleanup looked.</summary>
    public bool StartInFlight => startsInFlight > 0;

    /// <summary>Removes every container of the workflow (and so kills a running action), with retries.</summary>
    public async Task CleanupAsync()
    {
        var retry = new RetryPolicy(
            maxNumberOfAttempts: Math.Max(1, settings.CleanupAttempts),
            firstRetryInterval: settings.CleanupRetryInterval,
            backoffCoefficient: 2.0,
            maxRetryInterval: settings.MaxRetryBackoff);
        try
        {
            CleanupResult result = await context.CallActivityAsync<CleanupResult>(
                ActivityNames.CleanupWorkflow,
                new CleanupWorkflowInput(WorkflowId, workers, settings.WorkerEndpoints),
                TaskOptions.FromRetryPolicy(retry));
            foreach (ContainerFinalState container in result.Containers.Where(c => c.Role == ContainerRole.Service && c.ServiceName is not null))
            {
                ServiceStatus? before = Status.Service(container.ServiceName!);
                if (before is null)
                {
                    continue;
                }

                Status = RecordRestarts(Status, before, container.Restarts);
                Status = WithService(Status, before.Name, s => s with
                {
                    State = s.State == ServiceState.FAILED ? ServiceState.FAILED : ServiceState.REMOVED,
                    ExitCode = container.ExitCode ?? s.ExitCode,
                });
            }
        }
        catch (TaskFailedException ex)
        {
            Log.CleanupFailed(context.CreateReplaySafeLogger<WorkflowOrchestrator>(), WorkflowId, ex.Message);
            Status = Status with { Message = Join(Status.Message, $"cleanup failed: {ex.FailureDetails.ErrorMessage}") };
        }
    }

    /// <summary>The final status: the outcome's state, what never ran SKIPPED, the finished event; published and returned.</summary>
    public WorkflowStatus Finish(WorkflowOutcome outcome)
    {
        DateTimeOffset now = Now;
        ActionState interrupted = outcome.State switch
        {
            WorkflowState.TIMEOUT => ActionState.TIMEOUT,
            WorkflowState.CANCELLED => ActionState.CANCELLED,
            _ => ActionState.FAILED,
        };
        WorkflowStatus s = Status;
        s = s with
        {
            Tasks = [.. s.Tasks.Select(t =>
            {
                IReadOnlyList<ActionStatus> actions = [.. t.Actions.Select(a => a.State switch
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
                })];
                ActionState taskState = t.State switch
                {
                    ActionState.PENDING => ActionState.SKIPPED,
                    ActionState.RUNNING => outcome.State == WorkflowState.SUCCESS ? ActionState.SUCCESS : interrupted,
                    _ => t.State,
                };
                return t with { State = taskState, Actions = actions };
            })],
            Services = [.. s.Services.Select(v => v.State == ServiceState.PENDING ? v with { State = ServiceState.REMOVED, Reason = v.Reason ?? "not started" } : v)],
            State = outcome.State,
            Message = Join(outcome.Message, s.Message),
            FinishedAt = now,
        };
        if (outcome.State == WorkflowState.SUCCESS)
        {
            s = s with { CurrentTask = null, CurrentAction = null };
        }

        foreach (WorkflowTaskStatus task in Status.Tasks)
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

        s = WorkflowEvents.Append(s, now, WorkflowEventKind.WorkflowFinished, Join(outcome.State.ToString(), outcome.Message)!);
        Status = s;
        Publish();
        Log.Finished(context.CreateReplaySafeLogger<WorkflowOrchestrator>(), WorkflowId, outcome.State.ToString(), outcome.Message);
        return Status;
    }

    // ---- services ----

    private async Task<WorkflowOutcome?> StartServicesAsync()
    {
        if (definition.Services.Count == 0)
        {
            return null;
        }

        // Fan out: every service starts at once, then every service is awaited at once; the first failure ends it.
        ServiceStarted?[] started = await Task.WhenAll(definition.Services.Select(StartServiceAsync));
        ServiceDefinition? notStarted = definition.Services.Where((_, i) => started[i] is null).FirstOrDefault();
        if (notStarted is not null)
        {
            return ServiceFailure(notStarted.Name);
        }

        var waits = definition.Services.Select((service, i) => AwaitServiceReadyAsync(service, started[i]!)).ToList();
        while (waits.Count > 0)
        {
            Task<(string Service, bool Ready)> done = await Task.WhenAny(waits);
            waits.Remove(done);
            (string service, bool ready) = await done;
            if (!ready)
            {
                servicesFailed = true;
                return ServiceFailure(service);
            }
        }

        return null;
    }

    private WorkflowOutcome ServiceFailure(string service)
    {
        ServiceStatus? status = Status.Service(service);
        string tail = status is { LogTail.Count: > 0 } ? $"; last log lines:\n{string.Join('\n', status.LogTail.TakeLast(WorkflowStatus.CompactLogLines))}" : string.Empty;
        return new WorkflowOutcome(WorkflowState.FAILED, $"service {service} failed: {status?.Reason ?? "unknown reason"}{tail}");
    }

    private async Task<ServiceStarted?> StartServiceAsync(ServiceDefinition service)
    {
        Update(s => WithService(s, service.Name, v => v with { State = ServiceState.STARTING }));
        try
        {
            ServiceStarted started = await CallStartAsync<ServiceStarted>(
                ActivityNames.StartService, new StartServiceInput(WorkflowId, service, settings.WorkerEndpoints));
            DateTimeOffset now = Now;
            Update(s => WorkflowEvents.Append(
                WithService(s, service.Name, v => v with { Container = started.ContainerName, StartedAt = now }),
                now,
                WorkflowEventKind.ServiceStarted,
                $"container {started.ContainerName} started",
                service: service.Name));
            Log.ServiceState(context.CreateReplaySafeLogger<WorkflowOrchestrator>(), WorkflowId, service.Name, "started");
            return started;
        }
        catch (TaskFailedException ex)
        {
            MarkServiceFailed(service.Name, $"could not start: {ex.FailureDetails.ErrorMessage}", []);
            return null;
        }
    }

    private async Task<(string Service, bool Ready)> AwaitServiceReadyAsync(ServiceDefinition service, ServiceStarted started)
    {
        // Bounded by the startup timeout (checked below) and the global timeout; each call waits up to MaxWait.
        DateTimeOffset? deadline = service.StartupTimeout > TimeSpan.Zero ? Now + service.StartupTimeout : null;
        ServiceReadiness readiness;
        do
        {
            ThrowIfStopped();
            if (servicesFailed)
            {
                return (service.Name, false);
            }

            try
            {
                readiness = await context.CallActivityAsync<ServiceReadiness>(
                    ActivityNames.AwaitServiceHealthy,
                    new AwaitServiceHealthyInput(WorkflowId, service, started.ContainerId, deadline, settings.MaxWait, settings.WorkerEndpoints),
                    WhileEngineUnreachable);
            }
            catch (TaskFailedException ex)
            {
                MarkServiceFailed(service.Name, $"could not check readiness: {ex.FailureDetails.ErrorMessage}", []);
                return (service.Name, false);
            }

            if (readiness.Ready)
            {
                DateTimeOffset now = Now;
                Update(s => WorkflowEvents.Append(
                    WithService(s, service.Name, v => v with
                    {
                        State = ServiceState.READY,
                        Health = readiness.Health,
                        Restarts = readiness.Restarts,
                        ReadyAt = now,
                    }),
                    now,
                    WorkflowEventKind.ServiceHealthy,
                    readiness.Health is null ? "running" : $"running, {readiness.Health}",
                    service: service.Name));
                Log.ServiceState(context.CreateReplaySafeLogger<WorkflowOrchestrator>(), WorkflowId, service.Name, "ready");
                return (service.Name, true);
            }

            if (!readiness.Pending)
            {
                MarkServiceFailed(service.Name, readiness.Reason ?? $"not ready ({readiness.State})", readiness.LogTail, readiness);
                return (service.Name, false);
            }

            if (deadline is { } d && Now >= d)
            {
                MarkServiceFailed(service.Name, $"not ready within its startup timeout of {service.StartupTimeout.TotalSeconds:0.###} s", readiness.LogTail, readiness);
                return (service.Name, false);
            }

            Update(s => WithService(s, service.Name, v => v with { Health = readiness.Health, Restarts = readiness.Restarts }));
        }
        while (readiness.Pending);

        return (service.Name, false);
    }

    private void MarkServiceFailed(string service, string reason, IReadOnlyList<string> logTail, ServiceReadiness? readiness = null)
    {
        DateTimeOffset now = Now;
        Update(s => WorkflowEvents.Append(
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
            service: service));
        Log.ServiceState(context.CreateReplaySafeLogger<WorkflowOrchestrator>(), WorkflowId, service, "failed");
    }

    /// <summary>Records restarts and exits of services since the last look; never changes the workflow's state.</summary>
    private async Task InspectServicesAsync()
    {
        ThrowIfStopped();
        IReadOnlyList<ServiceObservation> observations;
        try
        {
            observations = await context.CallActivityAsync<IReadOnlyList<ServiceObservation>>(
                ActivityNames.InspectServices, new InspectServicesInput(WorkflowId, workers, settings.WorkerEndpoints), WhileEngineUnreachable);
        }
        catch (TaskFailedException ex)
        {
            Log.InspectFailed(context.CreateReplaySafeLogger<WorkflowOrchestrator>(), WorkflowId, ex.FailureDetails.ErrorMessage);
            return;
        }

        foreach (ServiceObservation seen in observations)
        {
            ServiceStatus? before = Status.Service(seen.ServiceName);
            if (before is null || before.State is ServiceState.FAILED or ServiceState.REMOVED)
            {
                continue;
            }

            Update(s => RecordRestarts(s, before, seen.Restarts));
            ServiceState state = seen.State switch
            {
                "running" => ServiceState.READY,
                "restarting" => ServiceState.RESTARTING,
                "exited" or "dead" or "removing" => ServiceState.EXITED,
                _ => before.State,
            };
            if (state == before.State && seen.Health == before.Health)
            {
                continue;
            }

            DateTimeOffset now = Now;
            Update(s =>
            {
                WorkflowStatus changed = WithService(s, before.Name, v => v with
                {
                    State = state,
                    Health = seen.Health,
                    ExitCode = seen.ExitCode ?? v.ExitCode,
                    Reason = state == ServiceState.EXITED ? $"exited with code {seen.ExitCode?.ToString() ?? "?"}" : v.Reason,
                });
                return state == ServiceState.EXITED && before.State != ServiceState.EXITED
                    ? WorkflowEvents.Append(changed, now, WorkflowEventKind.ServiceExited, $"exited with code {seen.ExitCode?.ToString() ?? "?"}", service: before.Name)
                    : changed;
            });
        }
    }

    private WorkflowStatus RecordRestarts(WorkflowStatus s, ServiceStatus before, int restarts)
    {
        if (restarts <= before.Restarts)
        {
            return s;
        }

        int more = restarts - before.Restarts;
        return WorkflowEvents.Append(
            WithService(s, before.Name, v => v with { Restarts = restarts }),
            Now,
            WorkflowEventKind.ServiceRestarted,
            more == 1 ? $"restarted (restart {restarts})" : $"restarted {more} times (restart {restarts})",
            service: before.Name);
    }

    // ---- actions ----

    /// <summary>Every attempt of an action, then its handler after the final failure or timeout.</summary>
    private async Task<ActionStatus> RunActionAsync(TaskDefinition task, ActionDefinition action)
    {
        int attempts = 1 + Math.Max(0, action.Retries);
        ActionStatus result = ActionStatus.Pending(action.Name);
        for (int attempt = 1; attempt <= attempts; attempt++)
        {
            result = await RunAttemptAsync(task, action, attempt);
            if (result.State == ActionState.SUCCESS)
            {
                return result;
            }

            if (attempt < attempts)
            {
                TimeSpan backoff = Backoff(attempt);
                Update(s => WorkflowEvents.Append(
                    s,
                    Now,
                    WorkflowEventKind.ActionRetrying,
                    $"attempt {attempt} of {attempts} {(result.State == ActionState.TIMEOUT ? "timed out" : "failed")}; retrying in {backoff.TotalSeconds:0.###} s",
                    task.Name,
                    action.Name));
                await context.CreateTimer(backoff, CancellationToken.None);
                ThrowIfStopped();
            }
        }

        IReadOnlyList<string>? handler = result.State == ActionState.TIMEOUT ? action.OnTimeout : action.OnFailure;
        if (handler is { Count: > 0 })
        {
            string kind = result.State == ActionState.TIMEOUT ? HandlerResult.OnTimeout : HandlerResult.OnFailure;
            HandlerResult handled = await RunHandlerAsync(task, action, result.Attempt, kind, handler);
            result = result with { Handler = handled };
        }

        return result;
    }

    private TimeSpan Backoff(int attempt)
    {
        double factor = Math.Pow(2, Math.Min(attempt - 1, 30));
        TimeSpan backoff = TimeSpan.FromTicks((long)Math.Min(settings.RetryBackoff.Ticks * factor, settings.MaxRetryBackoff.Ticks));
        return backoff > TimeSpan.Zero ? backoff : TimeSpan.Zero;
    }

    private async Task<ActionStatus> RunAttemptAsync(TaskDefinition task, ActionDefinition action, int attempt)
    {
        ThrowIfStopped();
        DateTimeOffset now = Now;
        UpdateAction(task.Name, action.Name, _ => ActionStatus.Pending(action.Name) with
        {
            State = ActionState.RUNNING,
            Attempt = attempt,
            StartedAt = now,
        });
        Update(s => s with { CurrentTask = task.Name, CurrentAction = action.Name });

        // Pipelined: the next action's container is created while this one starts, and the start call also waits
        // briefly for this one to end.
        PrepareAt(position + 1);
        ActionStarted started;
        try
        {
            started = await CallStartAsync<ActionStarted>(
                ActivityNames.StartAction,
                new StartActionInput(WorkflowId, ToContext(task), action, attempt, ContainerRole.Action, WorkerEndpoints: settings.WorkerEndpoints)
                    with { WaitFor = Pipelined ? settings.FirstWait : null });
        }
        catch (TaskFailedException ex)
        {
            return EndAttempt(task, action, attempt, ActionState.FAILED, null, now, Now, $"could not start: {ex.FailureDetails.ErrorMessage}", []);
        }

        UpdateAction(task.Name, action.Name, a => a with { Container = started.ContainerName, StartedAt = started.StartedAt });
        Update(s => WorkflowEvents.Append(
            s,
            started.StartedAt,
            WorkflowEventKind.ActionStarted,
            attempt == 1 ? $"started in {started.ContainerName}" : $"attempt {attempt} started in {started.ContainerName}",
            task.Name,
            action.Name));
        Log.ActionState(context.CreateReplaySafeLogger<WorkflowOrchestrator>(), WorkflowId, task.Name, action.Name, attempt, "started");

        ActionWaitResult waited;
        try
        {
            // The timeout counts from the container's start: time spent queued behind other work or creating it is not the action's.
            waited = started.Waited is { State: not ActionRunState.Running } ended
                ? ended
                : await WaitForExitAsync(task.Worker, started.ContainerId, action.DeadlineAfter(started.StartedAt));
        }
        catch (TaskFailedException ex)
        {
            return EndAttempt(task, action, attempt, ActionState.FAILED, null, started.StartedAt, Now, $"could not wait for it: {ex.FailureDetails.ErrorMessage}", []);
        }

        DateTimeOffset startedAt = waited.StartedAt ?? started.StartedAt;
        DateTimeOffset finishedAt = waited.FinishedAt ?? Now;
        (ActionState state, string? message) = waited.State == ActionRunState.Killed
            ? (ActionState.TIMEOUT, $"killed after its timeout of {action.TimeoutSeconds} s")
            : waited.ExitCode == 0 ? (ActionState.SUCCESS, (string?)null) : (ActionState.FAILED, ExitMessage(waited.ExitCode));
        return EndAttempt(task, action, attempt, state, waited.ExitCode, startedAt, finishedAt, message, waited.LogTail);
    }

    private ActionStatus EndAttempt(
        TaskDefinition task,
        ActionDefinition action,
        int attempt,
        ActionState state,
        long? exitCode,
        DateTimeOffset startedAt,
        DateTimeOffset finishedAt,
        string? message,
        IReadOnlyList<string> logTail)
    {
        UpdateAction(task.Name, action.Name, a => a with
        {
            State = state,
            StartedAt = startedAt,
            FinishedAt = finishedAt,
            Seconds = Seconds(startedAt, finishedAt),
            ExitCode = exitCode,
            Message = message,
            LogTail = logTail,
        });
        WorkflowEventKind kind = state switch
        {
            ActionState.SUCCESS => WorkflowEventKind.ActionSucceeded,
            ActionState.TIMEOUT => WorkflowEventKind.ActionTimedOut,
            _ => WorkflowEventKind.ActionFailed,
        };
        string text = state == ActionState.SUCCESS ? $"succeeded in {Seconds(startedAt, finishedAt):0.###} s" : message ?? state.ToString();
        Update(s => WorkflowEvents.Append(s, finishedAt, kind, attempt == 1 ? text : $"attempt {attempt}: {text}", task.Name, action.Name));
        Log.ActionState(context.CreateReplaySafeLogger<WorkflowOrchestrator>(), WorkflowId, task.Name, action.Name, attempt, state.ToString());
        return Status.Action(task.Name, action.Name)!;
    }

    private async Task<HandlerResult> RunHandlerAsync(TaskDefinition task, ActionDefinition action, int attempt, string kind, IReadOnlyList<string> command)
    {
        ThrowIfStopped();
        DateTimeOffset now = Now;
        UpdateAction(task.Name, action.Name, a => a with { Handler = new HandlerResult(kind, ActionState.RUNNING, null, now, null, null, null, []) });

        HandlerResult result;
        try
        {
            ActionStarted started = await CallStartAsync<ActionStarted>(
                ActivityNames.StartAction,
                new StartActionInput(WorkflowId, ToContext(task), action, attempt, ContainerRole.Handler, command, WorkerEndpoints: settings.WorkerEndpoints));
            ActionWaitResult waited = await WaitForExitAsync(task.Worker, started.ContainerId, action.DeadlineAfter(started.StartedAt));
            DateTimeOffset startedAt = waited.StartedAt ?? started.StartedAt;
            DateTimeOffset finishedAt = waited.FinishedAt ?? Now;
            (ActionState state, string message) = waited.State == ActionRunState.Killed
                ? (ActionState.TIMEOUT, $"killed after {action.TimeoutSeconds} s")
                : (waited.ExitCode == 0 ? ActionState.SUCCESS : ActionState.FAILED, ExitMessage(waited.ExitCode));
            result = new HandlerResult(kind, state, waited.ExitCode, startedAt, finishedAt, Seconds(startedAt, finishedAt), message, waited.LogTail);
        }
        catch (TaskFailedException ex)
        {
            result = new HandlerResult(kind, ActionState.FAILED, null, now, Now, Seconds(now, Now), $"could not run: {ex.FailureDetails.ErrorMessage}", []);
        }

        UpdateAction(task.Name, action.Name, a => a with { Handler = result });
        Update(s => WorkflowEvents.Append(s, result.FinishedAt ?? Now, WorkflowEventKind.HandlerRan, $"{kind} {result.Message}", task.Name, action.Name));
        return result;
    }

    /// <summary>
    /// Container steps are idempotent, so one that failed because its Docker engine could not be reached is tried again
    /// a few times (durable timers between, doubling): an engine restart costs the workflow a pause, not a failure.
    /// Any other failure, or the engine still away after the last attempt, fails the step as before. Revision 1 and
    /// later: a run of revision 0 scheduled no such timers, so its history must replay without them.
    /// </summary>
    private TaskOptions? WhileEngineUnreachable
    {
        get
        {
            if (!Pipelined)
            {
                return null;
            }

            TimeSpan first = settings.EngineUnreachableRetryInterval > TimeSpan.Zero ? settings.EngineUnreachableRetryInterval : TimeSpan.FromSeconds(1);
            return TaskOptions.FromRetryPolicy(new RetryPolicy(
                maxNumberOfAttempts: Math.Max(1, settings.EngineUnreachableAttempts),
                firstRetryInterval: first,
                backoffCoefficient: 2.0,
                maxRetryInterval: settings.MaxRetryBackoff > first ? settings.MaxRetryBackoff : first)
            {
                HandleFailure = IsEngineUnreachable,
            });
        }
    }

    private static bool IsEngineUnreachable(TaskFailureDetails? failure) =>
        failure is not null && (failure.ErrorType == ErrorTypes.DockerUnreachable || IsEngineUnreachable(failure.InnerFailure));

    /// <summary>
    /// Calls an activity that creates a container, counted in <see cref="StartInFlight"/> until it returns; tried again
    /// while the engine is unreachable unless <paramref name="bestEffort"/> (a failure costs nothing then).
    /// </summary>
    private async Task<T> CallStartAsync<T>(string activity, object input, bool bestEffort = false)
    {
        startsInFlight++;
        try
        {
            return bestEffort
                ? await context.CallActivityAsync<T>(activity, input)
                : await context.CallActivityAsync<T>(activity, input, WhileEngineUnreachable);
        }
        finally
        {
            startsInFlight--;
        }
    }

    /// <summary>WaitAction in bounded chunks until the container exits or is killed at the deadline.</summary>
    private async Task<ActionWaitResult> WaitForExitAsync(string worker, string containerId, DateTimeOffset? deadline)
    {
        // Bounded by the deadline (WaitAction kills the container when it passes) or the global timeout.
        ActionWaitResult waited;
        do
        {
            ThrowIfStopped();
            waited = await context.CallActivityAsync<ActionWaitResult>(
                ActivityNames.WaitAction,
                new WaitActionInput(WorkflowId, worker, containerId, deadline, settings.MaxWait, settings.WorkerEndpoints),
                WhileEngineUnreachable);
        }
        while (waited.State == ActionRunState.Running);

        return waited;
    }

    // ---- status ----

    /// <summary>Changes the status and publishes it; after <see cref="Stop"/> it unwinds the body instead.</summary>
    private void Update(Func<WorkflowStatus, WorkflowStatus> change)
    {
        ThrowIfStopped();
        Status = change(Status);
        Publish();
    }

    private void UpdateAction(string task, string action, Func<ActionStatus, ActionStatus> change) =>
        Update(s => WithTask(s, task, t => t with { Actions = [.. t.Actions.Select(a => a.Name == action ? change(a) : a)] }));

    private void ThrowIfStopped()
    {
        if (stopped)
        {
            throw new OperationCanceledException("The workflow has ended.");
        }
    }

    private static WorkflowStatus WithTask(WorkflowStatus s, string task, Func<WorkflowTaskStatus, WorkflowTaskStatus> change) =>
        s with { Tasks = [.. s.Tasks.Select(t => t.Name == task ? change(t) : t)] };

    private static WorkflowStatus WithService(WorkflowStatus s, string service, Func<ServiceStatus, ServiceStatus> change) =>
        s with { Services = [.. s.Services.Select(v => v.Name == service ? change(v) : v)] };

    /// <summary>
    /// "exited with code N", and for a container ended by a signal (code 128 + N, as Docker reports it) which one: a
    /// SIGTERM or SIGKILL the workflow did not send came from outside (docker stop or kill, the Docker engine shutting
    /// down, the kernel out of memory).
    /// </summary>
    internal static string ExitMessage(long? code) => code switch
    {
        null => "exited with code ?",
        143 => "exited with code 143 (SIGTERM: stopped from outside the workflow, e.g. by docker stop or the Docker engine shutting down)",
        137 => "exited with code 137 (SIGKILL: killed from outside the workflow, e.g. by docker kill, the Docker engine or the kernel out of memory)",
        > 128 and < 160 => $"exited with code {code} (killed by signal {code - 128})",
        _ => $"exited with code {code}",
    };

    private static TaskContext ToContext(TaskDefinition task) => new(task.Name, task.Worker, task.Volumes, task.Environment);

    private static double Seconds(DateTimeOffset from, DateTimeOffset to) => Math.Round(Math.Max(0, (to - from).TotalSeconds), 3);

    private static string? Join(string? first, string? second) =>
        string.IsNullOrEmpty(first) ? second : string.IsNullOrEmpty(second) ? first : $"{first}; {second}";
}
