using DurableWorkflows.Core.Contracts;
using DurableWorkflows.Core.Templates;
using Microsoft.DurableTask;
using static DurableWorkflows.Orchestrations.WorkflowRuns.StatusTransitions;

namespace DurableWorkflows.Orchestrations.WorkflowRuns;

/// <summary>The actions: each attempt's container started and awaited, retries after a backoff, then the handler.</summary>
internal sealed partial class WorkflowRun
{
    private readonly IReadOnlyList<(TaskDefinition Task, ActionDefinition Action)> order;
    private int position = -1;
    private int prepared = -1;
    private Task preparing = Task.CompletedTask;

    /// <summary>
    /// Revision 4: the container of the action at <c>At</c>, started by the wait of the one before it, and that one's
    /// container (ended, its end recorded) for the new one's wait to remove when both run on the same worker.
    /// </summary>
    private (int At, ActionStarted Started, string? RemoveEnded)? chained;

    /// <summary>
    /// When the revision prepares ahead: creates the container of the first attempt of the action at <paramref name="index"/>
    /// (in the workflow's order) while what comes before it runs. Scheduled once per action; its start finds it created.
    /// </summary>
    private void PrepareAt(int index)
    {
        if (!settings.PreparesNextAction || stopped || index >= order.Count || index <= prepared)
        {
            return;
        }

        prepared = index;
        (TaskDefinition task, ActionDefinition action) = order[index];
        if (settings.AgentOf(task.Worker) is null)
        {
            Task prepare = PrepareAsync(ActionInput(task, action, 1, ContainerRole.Action));
            preparing = settings.ChainsNextAction ? Task.WhenAll(preparing, prepare) : prepare;
        }
    }

    /// <summary>
    /// As an attempt starts: the next actions' containers (<see cref="WorkflowSettings.PreparedAhead"/> of them) are
    /// created meanwhile, unless the wait that started this attempt (revision 4) created the last of them already along
    /// with that start.
    /// </summary>
    private void PrepareAhead(bool chained)
    {
        if (chained)
        {
            prepared = Math.Max(prepared, position + settings.PreparedAhead);
        }

        PrepareFrom(position + 1);
    }

    /// <summary>The containers of the actions from <paramref name="index"/> on, <see cref="WorkflowSettings.PreparedAhead"/> of them, not yet prepared.</summary>
    private void PrepareFrom(int index)
    {
        for (int i = index; i < index + settings.PreparedAhead; i++)
        {
            PrepareAt(i);
        }
    }

    /// <summary>
    /// When the revision chains (<see cref="WorkflowSettings.ChainsNextAction"/>): the start of the first attempt of the
    /// action after the one at <paramref name="index"/>, for that one's wait to make as soon as it exits 0; null when
    /// there is none or an agent runs it.
    /// </summary>
    private StartActionInput? NextStart(int index)
    {
        if (!settings.ChainsNextAction || index + 1 >= order.Count)
        {
            return null;
        }

        (TaskDefinition task, ActionDefinition action) = order[index + 1];
        return settings.AgentOf(task.Worker) is null ? ActionInput(task, action, 1, ContainerRole.Action) : null;
    }

    /// <summary>
    /// The container a wait started for the first attempt of the action at <see cref="position"/>, and the ended one for
    /// its wait to remove; taken once.
    /// </summary>
    private (ActionStarted? Started, string? RemoveEnded) TakeChained(int attempt)
    {
        var taken = chained is { } c && attempt == 1 && c.At == position ? (c.Started, c.RemoveEnded) : ((ActionStarted?)null, (string?)null);
        chained = null;
        return taken;
    }

    private async Task PrepareAsync(StartActionInput input)
    {
        try
        {
            await CountedStartAsync(() => activities.PrepareActionAsync(input));
        }
        catch (TaskFailedException)
        {
            // Best effort: the action's start meets the same problem and reports it as the action's failure.
        }
    }

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
                TimeSpan backoff = Backoff(settings, attempt);
                Update(s => Retrying(s, task.Name, action.Name, attempt, attempts, result.State, backoff, Now));
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

    private async Task<ActionStatus> RunAttemptAsync(TaskDefinition task, ActionDefinition action, int attempt)
    {
        ThrowIfStopped();
        DateTimeOffset now = Now;
        Update(s => AttemptStarted(s, task.Name, action.Name, attempt, now));

        // The next action's container is created while this one starts; the start call may also wait briefly for it to end.
        (ActionStarted? started, string? removeEnded) = TakeChained(attempt);
        PrepareAhead(chained: started is not null);
        if (settings.AgentOf(task.Worker) is { } agent)
        {
            return Record(task, action, attempt, await RunOnAgentAsync(task, action, attempt, agent, handler: null, command: null));
        }

        // Revision 4: this attempt's wait starts the next action when it exits 0, and creates the one after that meanwhile.
        StartActionInput? then = NextStart(position);
        StartActionInput? thenPrepare = then is null ? null : NextStart(position + settings.PreparedAhead);
        try
        {
            StartActionInput input = ActionInput(task, action, attempt, ContainerRole.Action) with
            {
                WaitFor = settings.WaitsOnStart ? settings.FirstWait : null, Then = then, ThenPrepare = thenPrepare,
            };
            started ??= await CountedStartAsync(() => activities.StartActionAsync(input));
        }
        catch (TaskFailedException ex)
        {
            return Record(task, action, attempt, AttemptNotRun($"could not start: {ex.FailureDetails.ErrorMessage}", now, Now));
        }

        Update(s => ContainerStarted(s, task.Name, action.Name, attempt, started.ContainerName, started.StartedAt));
        Log.ActionState(context.CreateReplaySafeLogger<WorkflowOrchestrator>(), WorkflowId, task.Name, action.Name, attempt, "started");

        ActionWaitResult waited;
        try
        {
            // The timeout counts from the container's start: time spent queued behind other work or creating it is not the action's.
            waited = started.Waited is { State: not ActionRunState.Running } ended
                ? ended
                : await WaitForExitAsync(task.Worker, started.ContainerId, action.DeadlineAfter(started.StartedAt), (then, thenPrepare, then is null ? null : removeEnded));
        }
        catch (TaskFailedException ex)
        {
            return Record(task, action, attempt, AttemptNotRun($"could not wait for it: {ex.FailureDetails.ErrorMessage}", started.StartedAt, Now));
        }

        if (waited.Next is { } next)
        {
            bool sameWorker = then!.Task.Worker == task.Worker;
            chained = (position + 1, next, sameWorker ? started.ContainerId : null);
        }

        return Record(task, action, attempt, AttemptEnded(action, waited, started.StartedAt, Now));
    }

    private ActionStatus Record(TaskDefinition task, ActionDefinition action, int attempt, AttemptEnd end)
    {
        Update(s => AttemptRecorded(s, task.Name, action.Name, attempt, end));
        Log.ActionState(context.CreateReplaySafeLogger<WorkflowOrchestrator>(), WorkflowId, task.Name, action.Name, attempt, end.State.ToString());
        return Status.Action(task.Name, action.Name)!;
    }

    private async Task<HandlerResult> RunHandlerAsync(TaskDefinition task, ActionDefinition action, int attempt, string kind, IReadOnlyList<string> command)
    {
        ThrowIfStopped();
        DateTimeOffset now = Now;
        Update(s => HandlerStarted(s, task.Name, action.Name, kind, now));

        HandlerResult result;
        if (settings.AgentOf(task.Worker) is { } agent)
        {
            result = HandlerOnAgent(kind, await RunOnAgentAsync(task, action, attempt, agent, kind, command));
        }
        else
        {
            result = await RunHandlerContainerAsync(task, action, attempt, kind, command, now);
        }

        Update(s => HandlerRecorded(s, task.Name, action.Name, result, Now));
        return result;
    }

    private async Task<HandlerResult> RunHandlerContainerAsync(
        TaskDefinition task, ActionDefinition action, int attempt, string kind, IReadOnlyList<string> command, DateTimeOffset now)
    {
        HandlerResult result;
        try
        {
            ActionStarted started = await CountedStartAsync(() =>
                activities.StartActionAsync(ActionInput(task, action, attempt, ContainerRole.Handler) with { CommandOverride = command }));
            ActionWaitResult waited = await WaitForExitAsync(task.Worker, started.ContainerId, action.DeadlineAfter(started.StartedAt));
            result = HandlerEnded(kind, action, waited, started.StartedAt, Now);
        }
        catch (TaskFailedException ex)
        {
            result = HandlerNotRun(kind, ex.FailureDetails.ErrorMessage, now, Now);
        }

        return result;
    }

    /// <summary>
    /// WaitAction in bounded chunks until the container exits or is killed at the deadline; with a next action to start
    /// (<paramref name="chain"/>), each chunk may start it, so it counts as a start (<see cref="StartInFlight"/>).
    /// </summary>
    private async Task<ActionWaitResult> WaitForExitAsync(
        string worker, string containerId, DateTimeOffset? deadline, (StartActionInput? Then, StartActionInput? Prepare, string? RemoveEnded) chain = default)
    {
        // Bounded by the deadline (WaitAction kills the container when it passes) or the global timeout.
        ActionWaitResult waited;
        do
        {
            ThrowIfStopped();
            var input = new WaitActionInput(WorkflowId, worker, containerId, deadline, settings.MaxWait, settings.WorkerEndpoints, chain.Then, chain.RemoveEnded, chain.Prepare);
            waited = chain.Then is null ? await activities.WaitActionAsync(input) : await CountedStartAsync(() => activities.WaitActionAsync(input));
        }
        while (waited.State == ActionRunState.Running);

        return waited;
    }

    private StartActionInput ActionInput(TaskDefinition task, ActionDefinition action, int attempt, ContainerRole role) =>
        new(WorkflowId, new TaskContext(task.Name, task.Worker, task.Volumes, task.Environment), action, attempt, role, WorkerEndpoints: settings.WorkerEndpoints);
}
