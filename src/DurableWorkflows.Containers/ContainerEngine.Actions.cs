using Docker.DotNet.Models;
using DurableWorkflows.Containers.DockerApi;
using DurableWorkflows.Core.Contracts;

namespace DurableWorkflows.Containers;

/// <summary>Actions on a Docker endpoint: prepared ahead, started (or found), waited for, killed at their deadline.</summary>
public sealed partial class ContainerEngine
{
    /// <summary>
    /// Creates and starts the container of one attempt of an action (or of its handler), or finds the one already there.
    /// A container found exited is reported as it is, never started again.
    /// </summary>
    public async Task<ActionStarted> StartActionAsync(StartActionInput input, CancellationToken cancellationToken = default)
    {
        var (endpoint, parameters, owner) = ActionContainer(input);
        var name = parameters.Name;
        // A container this process holds started ahead is released below, with no call to Docker before.
        var hold = await _held.OwnAsync(name, cancellationToken);
        var (id, existing) = hold is not null ? (hold.Id, null) : await _containers.CreateOrFindAsync(endpoint, parameters, input.WorkflowId, owner, cancellationToken);
        if (hold is null && HeldStarts.IsHeld(existing))
        {
            // Found started ahead: by this process's preparation, under way as the start began, or by another's.
            hold = await _held.OwnAsync(name, cancellationToken);
            (id, existing) = hold is not null ? (hold.Id, null) : await TakeOverHeldAsync(endpoint, existing, cancellationToken) is { } ran
                ? (ran.ID, ran)
                : await _containers.CreateOrFindAsync(endpoint, parameters, input.WorkflowId, owner, cancellationToken);
        }

        // The wait's first look: the container as it was found; after a start, the wait inspects it itself. When the wait
        // is to start the next action, the end is listened for from before the start, so that a short action's die
        // event (which that start goes on) is not missed.
        using var listening = input.WaitFor > TimeSpan.Zero && input.Then is not null ? endpoint.Events.Watch(id, endsOnly: true) : null;
        ContainerInspectResponse? container = existing;
        DateTimeOffset startedAt;
        if (hold is not null)
        {
            if (await hold.ReleaseAsync(cancellationToken) is not { } releasedAt)
            {
                // The hold went (its container ended, its attach broke): the start looks at the container as another process would.
                return await StartActionAsync(input, cancellationToken);
            }

            startedAt = releasedAt;
            container = null;
        }
        else if (DockerContainerOperations.NotStarted(existing))
        {
            try
            {
                await DockerContainerOperations.StartAsync(endpoint, id, name, owner, cancellationToken);
            }
            catch (ContainerEngineException e) when (_options.Privileged && e.Message.Contains("operation not permitted", StringComparison.OrdinalIgnoreCase))
            {
                throw new ContainerEngineException(
                    $"{e.Message} (Docker endpoint {endpoint} cannot run privileged containers; set {DockerOptions.SectionName}:Privileged to false)", e);
            }

            // Docker sets its StartedAt a moment before it answers, so the answer's time stands for it (the wait's result
            // carries Docker's own). Not inspected here: an inspect made while a short action exits waits for Docker to
            // have handled that exit.
            startedAt = DateTimeOffset.UtcNow;
            container = null;
        }
        else
        {
            startedAt = DockerStates.ParseTime(existing.State.StartedAt) ?? DateTimeOffset.UtcNow;
        }

        var started = new ActionStarted(id, name, existing is not null, startedAt);
        if (input.WaitFor is not { } waitFor || waitFor <= TimeSpan.Zero)
        {
            return started;
        }

        try
        {
            var deadline = input.Action.DeadlineAfter(started.StartedAt);
            // A container found is the wait's first look: an action that has already ended is not inspected again.
            var waited = await WaitActionAsync(new WaitActionInput(input.WorkflowId, input.Task.Worker, id, deadline, waitFor, input.WorkerEndpoints, input.Then, ThenPrepare: input.ThenPrepare), container, cancellationToken);
            return started with { Waited = waited };
        }
        catch (ContainerEngineException e)
        {
            // The container started; what went wrong while waiting is the wait's to report (WaitAction meets it again).
            Log.FirstWaitFailed(_logger, e, name);
            return started;
        }
    }

    /// <summary>
    /// Creates the container of an action's attempt without starting it (or finds it), so that its start later is one
    /// call (or started ahead too: <see cref="DockerOptions.StartAhead"/>). Best effort: what stops it (a missing image, a
    /// refused mount) is returned, not thrown, and the start meets it again and reports it as the action's failure; while
    /// <see cref="AheadSlots"/> preparations are under way in this process, another is skipped.
    /// </summary>
    public async Task<ActionPrepared> PrepareActionAsync(StartActionInput input, CancellationToken cancellationToken = default)
    {
        string name = ContainerNames.Action(input.WorkflowId, input.Task.Name, input.Action.Name, input.Attempt, input.Role);
        // Work ahead never queues behind work that is due: with many runs at once, Docker's creates and starts for actions
        // far ahead crowded the services' health probes. A preparation skipped here is done by the action's start.
        if (!_aheadSlots.Wait(0, CancellationToken.None))
        {
            Log.PrepareSkipped(_logger, name, AheadSlots);
            return new ActionPrepared(name, Created: false);
        }

        try
        {
            var (endpoint, parameters, owner) = ActionContainer(input);
            // Work ahead of time: created after the workflow's services have started (its inspect gave their starts time to begin).
            Func<Task> afterServiceStarts = () => _serviceStarts.WhenNoneAsync(input.WorkflowId, ServiceStartsBound, cancellationToken);
            if (_options.StartAhead && await TryStartAheadAsync(endpoint, parameters, input.WorkflowId, owner, afterServiceStarts, cancellationToken) is { } created)
            {
                return new ActionPrepared(name, created);
            }

            var (_, existing) = await _containers.CreateOrFindAsync(endpoint, parameters, input.WorkflowId, owner, cancellationToken, afterServiceStarts);
            return new ActionPrepared(name, Created: existing is null);
        }
        catch (ContainerEngineException e)
        {
            return new ActionPrepared(name, Created: false, e.Message);
        }
        finally
        {
            _aheadSlots.Release();
        }
    }

    /// <summary>The endpoint, the create parameters and the owner (for messages) of an action's container; its bind mounts checked.</summary>
    private (DockerEndpoint Endpoint, CreateContainerParameters Parameters, string Owner) ActionContainer(StartActionInput input)
    {
        var owner = $"action '{input.Task.Name}/{input.Action.Name}'";
        var endpoint = _endpoints.ForWorker(input.Task.Worker, input.WorkerEndpoints);
        ContainerSpecs.CheckAllowed(ContainerSpecs.MergeVolumes(input.Task.Volumes, input.Action.Volumes), _options.AllowedHostPaths, owner);
        return (endpoint, ContainerParameters.ForAction(input, endpoint, _options, WorkflowMount(input.WorkflowId)), owner);
    }

    /// <summary>
    /// Waits up to <see cref="WaitActionInput.MaxWait"/> (options' MaxWait when zero) for an action's container:
    /// <c>Exited</c> with its code, <c>Killed</c> when its deadline passed (it is killed then), else <c>Running</c>.
    /// An ended container's whole log is saved. With <see cref="WaitActionInput.Then"/>, the next action is started the
    /// moment Docker tells that this one exited 0, before its end is handled and its output read (and, along with that
    /// start, the container after it created and the ended one before it removed).
    /// </summary>
    public Task<ActionWaitResult> WaitActionAsync(WaitActionInput input, CancellationToken cancellationToken = default) =>
        WaitActionAsync(input, null, cancellationToken);

    /// <summary><see cref="WaitActionAsync(WaitActionInput, CancellationToken)"/>, its first look the container as <paramref name="inspected"/> just now.</summary>
    private async Task<ActionWaitResult> WaitActionAsync(WaitActionInput input, ContainerInspectResponse? inspected, CancellationToken cancellationToken)
    {
        var endpoint = _endpoints.ForWorker(input.Worker, input.WorkerEndpoints);
        var maxWait = input.MaxWait > TimeSpan.Zero ? input.MaxWait : _options.MaxWait;
        var callEnd = DateTimeOffset.UtcNow + maxWait;
        await using var next = new NextActionStart(this, endpoint, input, cancellationToken);

        while (true)
        {
            var container = inspected
                ?? await DockerContainerOperations.TryInspectAsync(endpoint, input.ContainerId, cancellationToken)
                ?? throw new ContainerEngineException(
                    $"The container {input.ContainerId} of workflow '{input.WorkflowId}' no longer exists on {endpoint}.");
            inspected = null;
            var name = container.Name.TrimStart('/');
            var state = container.State;

            if (DockerStates.Parse(state.Status) == DockerStatus.Created)
            {
                await DockerContainerOperations.StartAsync(endpoint, container.ID, name, $"container {name}", cancellationToken);
                continue;
            }

            if (!state.Running && !state.Restarting && !state.Paused)
            {
                next.OnExit(state.ExitCode);
                return await next.WithNextAsync(await EndedAsync(endpoint, input.WorkflowId, container, ActionRunState.Exited, cancellationToken), name);
            }

            if (next.Made)
            {
                // Docker told it exited 0 after that inspect was answered: look again rather than kill or report it running.
                continue;
            }

            var now = DateTimeOffset.UtcNow;
            if (input.Deadline is { } deadline && now >= deadline)
            {
                Log.KilledAtDeadline(_logger, name);
                await DockerContainerOperations.KillAsync(endpoint, container.ID, cancellationToken);
                var killed = await _containers.WaitStoppedAsync(endpoint, container.ID, cancellationToken) ?? container;
                return await next.WithNextAsync(await EndedAsync(endpoint, input.WorkflowId, killed, ActionRunState.Killed, cancellationToken), name);
            }

            if (now >= callEnd)
            {
                var tail = await ContainerLogs.TailAsync(endpoint, container.ID, _options.LogTailLines, cancellationToken);
                return await next.WithNextAsync(new ActionWaitResult(ActionRunState.Running, null, ActionStartedAt(container), null, tail), name);
            }

            var until = input.Deadline is { } d ? Min(d, callEnd) : callEnd;
            next.OnExit(await DockerContainerOperations.WaitUntilStoppedOrAsync(endpoint, container.ID, until - now, cancellationToken));
        }
    }

    private async Task<ActionWaitResult> EndedAsync(
        DockerEndpoint endpoint, string workflowId, ContainerInspectResponse container, ActionRunState outcome, CancellationToken cancellationToken)
    {
        var name = container.Name.TrimStart('/');
        await SaveLogsAsync(endpoint, workflowId, container.ID, name, cancellationToken);
        // The tail from the copy just saved (one call to Docker, not two); from Docker when the copy could not be saved.
        var tail = _options.LogTailLines <= 0 ? []
            : _logs.SavedTail(workflowId, name, _options.LogTailLines) ?? await ContainerLogs.TailAsync(endpoint, container.ID, _options.LogTailLines, cancellationToken);
        var state = container.State;
        return new ActionWaitResult(outcome, state.ExitCode, ActionStartedAt(container), DockerStates.ParseTime(state.FinishedAt), tail);
    }

    /// <summary>
    /// Docker's start of an action's container, which is its action's start unless it was started ahead: then its action
    /// began at its release, which the start call reported (null here).
    /// </summary>
    private static DateTimeOffset? ActionStartedAt(ContainerInspectResponse container) =>
        HeldStarts.IsHeld(container) ? null : DockerStates.ParseTime(container.State.StartedAt);
}
