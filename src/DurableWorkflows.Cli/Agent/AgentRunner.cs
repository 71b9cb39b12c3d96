using DurableWorkflows.Containers;
using DurableWorkflows.Core.Contracts;
using DurableWorkflows.Core.Templates;
using DurableWorkflows.Server.Agents.Logs;
using DurableWorkflows.Server.Agents.Tink;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace DurableWorkflows.Cli.Agent;

/// <summary>
/// <c>dwf agent</c>'s loop, a client of Tinkerbell's current agent protocol on our container engine: ask for an action
/// (backing off to 5 s while there is none, at once after a report), report RUNNING, run its container with its timeout
/// (or find the one it ran before a restart, by name, and take its result instead of running it again), upload its
/// output, report how it ended until the server takes it, remove the container. While the action runs, RUNNING is said
/// again every <see cref="Heartbeat"/>. The server being away costs retries, not the action; a report refused as no
/// longer current (the workflow was cancelled, timed out, or took another end) stops the container.
/// </summary>
public sealed class AgentRunner(
    WorkflowService.WorkflowServiceClient agents, AgentLogService.AgentLogServiceClient logs, ContainerEngine engine, string agentId, TextWriter log)
{
    /// <summary>The worker name the agent's own engine is known by: every action it runs is on this machine.</summary>
    private const string Local = "local";

    private static readonly TimeSpan MaxIdle = TimeSpan.FromSeconds(5);

    /// <summary>How often a running action's RUNNING is said again: how soon a cancelled action's container is stopped.</summary>
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(2);

    /// <summary>The removal of the last action's container, which runs while the agent asks for its next action.</summary>
    private Task removing = Task.CompletedTask;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await RunLoopAsync(cancellationToken);
        }
        finally
        {
            await removing;
        }
    }

    private async Task RunLoopAsync(CancellationToken cancellationToken)
    {
        await SweepAsync(cancellationToken);
        TimeSpan idle = TimeSpan.FromMilliseconds(200);
        while (!cancellationToken.IsCancellationRequested)
        {
            ActionResponse? action = null;
            try
            {
                action = await agents.GetActionAsync(new ActionRequest { AgentId = agentId }, cancellationToken: cancellationToken);
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.NotFound or StatusCode.FailedPrecondition)
            {
                // Nothing to do yet.
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.Unauthenticated or StatusCode.PermissionDenied or StatusCode.InvalidArgument)
            {
                throw new InvalidOperationException($"the server refuses this agent: {e.Status.Detail}", e);
            }
            catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
            {
                await log.WriteLineAsync($"dwf agent: the server is away ({e.StatusCode}: {e.Status.Detail}); asking again");
            }

            if (action is null)
            {
                await Task.Delay(idle, cancellationToken);
                idle = TimeSpan.FromTicks(Math.Min(idle.Ticks * 2, MaxIdle.Ticks));
                continue;
            }

            idle = TimeSpan.FromMilliseconds(200);
            await RunActionAsync(action, cancellationToken);
        }
    }

    /// <summary>
    /// After a restart: each action container this agent left is reported RUNNING; one the server refuses (its workflow
    /// ended, or moved on) is stopped and removed, one still current is handed out again and its result taken.
    /// </summary>
    private async Task SweepAsync(CancellationToken cancellationToken)
    {
        foreach (StartActionInput left in await engine.ListAgentActionsAsync(cancellationToken))
        {
            if (left.Role == ContainerRole.Action)
            {
                var action = new ActionResponse
                {
                    WorkflowId = left.WorkflowId,
                    TaskId = left.Task.Name,
                    ActionId = AgentOffer.IdOf(left.Task.Name, left.Action.Name, left.Attempt, null),
                    Name = left.Action.Name,
                };
                await ReportAsync(action, ActionStatusRequest.Types.StateType.Running, DateTimeOffset.UtcNow, null, "found after a restart", cancellationToken);
            }
        }
    }

    private async Task RunActionAsync(ActionResponse action, CancellationToken cancellationToken)
    {
        await log.WriteLineAsync($"dwf agent: {action.WorkflowId} {action.TaskId}/{action.Name} ({action.ActionId}) on {action.Image}, handed out at {Stamp()}");
        StartActionInput input = ToInput(action);
        DateTimeOffset started = DateTimeOffset.UtcNow;
        if (!await ReportAsync(action, ActionStatusRequest.Types.StateType.Running, started, null, "started", cancellationToken))
        {
            return;
        }

        ActionWaitResult waited;
        ActionStarted container;
        try
        {
            container = await engine.StartActionAsync(input, cancellationToken);
            started = container.StartedAt;
            DateTimeOffset? deadline = input.Action.DeadlineAfter(started);
            while (true)
            {
                waited = await engine.WaitActionAsync(new WaitActionInput(action.WorkflowId, Local, container.ContainerId, deadline, Heartbeat), cancellationToken);
                if (waited.State != ActionRunState.Running)
                {
                    break;
                }

                // Still running: say so, and learn whether the action is still current (a cancelled or timed-out one is stopped).
                if (!await ReportAsync(action, ActionStatusRequest.Types.StateType.Running, started, null, "running", cancellationToken))
                {
                    return;
                }
            }
        }
        catch (ContainerEngineException e)
        {
            await ReportAsync(action, ActionStatusRequest.Types.StateType.Failed, started, DateTimeOffset.UtcNow, e.Message, cancellationToken);
            return;
        }

        string text = engine.Logs.ReadAll(action.WorkflowId).FirstOrDefault(l => l.ContainerName == container.ContainerName)?.Text ?? string.Join('\n', waited.LogTail);
        await UploadAsync(action, text, cancellationToken);
        (ActionStatusRequest.Types.StateType state, string message) = waited.State == ActionRunState.Killed
            ? (ActionStatusRequest.Types.StateType.Timeout, $"killed after its timeout of {action.Timeout} s")
            : waited.ExitCode == 0
                ? (ActionStatusRequest.Types.StateType.Success, "finished successfully")
                : (ActionStatusRequest.Types.StateType.Failed, $"exited with code {waited.ExitCode}");
        await ReportAsync(action, state, waited.StartedAt ?? started, waited.FinishedAt ?? DateTimeOffset.UtcNow, message, cancellationToken);
        // The next action is asked for at once; this container goes meanwhile (its log is kept, its result reported).
        await removing;
        removing = RemoveAsync(action.WorkflowId, container.ContainerId);
    }

    private async Task RemoveAsync(string workflowId, string containerId)
    {
        try
        {
            await engine.RemoveContainerAsync(workflowId, Local, containerId, CancellationToken.None);
        }
        catch (ContainerEngineException e)
        {
            await log.WriteLineAsync($"dwf agent: could not remove container {containerId}: {e.Message}");
        }
    }

    /// <summary>Reports until the server takes it; false when it refuses it for good (the action is not current any more).</summary>
    private async Task<bool> ReportAsync(
        ActionResponse action, ActionStatusRequest.Types.StateType state, DateTimeOffset started, DateTimeOffset? stopped, string message, CancellationToken cancellationToken)
    {
        var request = new ActionStatusRequest
        {
            WorkflowId = action.WorkflowId,
            AgentId = agentId,
            TaskId = action.TaskId,
            ActionId = action.ActionId,
            ActionName = action.Name,
            ActionState = state,
            ExecutionStart = Timestamp.FromDateTimeOffset(started),
            Message = new ActionMessage { Message = message },
        };
        if (stopped is { } stop)
        {
            request.ExecutionStop = Timestamp.FromDateTimeOffset(stop);
            request.ExecutionDuration = $"{(stop - started).TotalSeconds:0.###}s";
        }

        TimeSpan wait = TimeSpan.FromMilliseconds(200);
        while (true)
        {
            try
            {
                await agents.ReportActionStatusAsync(request, cancellationToken: cancellationToken);
                if (state != ActionStatusRequest.Types.StateType.Running)
                {
                    await log.WriteLineAsync($"dwf agent: {action.WorkflowId} ({action.ActionId}) {state} taken at {Stamp()}");
                }

                return true;
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.NotFound or StatusCode.InvalidArgument or StatusCode.FailedPrecondition or StatusCode.PermissionDenied)
            {
                await log.WriteLineAsync($"dwf agent: report {state} of {action.ActionId} refused ({e.StatusCode}: {e.Status.Detail}); its container is stopped");
                await StopAsync(action, cancellationToken);
                return false;
            }
            catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
            {
                await log.WriteLineAsync($"dwf agent: report {state} of {action.ActionId} not taken yet ({e.StatusCode}); sending it again");
                await Task.Delay(wait, cancellationToken);
                wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, MaxIdle.Ticks));
            }
        }
    }

    private async Task UploadAsync(ActionResponse action, string text, CancellationToken cancellationToken)
    {
        try
        {
            await logs.UploadLogAsync(
                new UploadLogRequest { AgentId = agentId, WorkflowId = action.WorkflowId, TaskId = action.TaskId, ActionId = action.ActionId, Text = text },
                cancellationToken: cancellationToken);
        }
        catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
        {
            await log.WriteLineAsync($"dwf agent: the log of {action.ActionId} was not kept ({e.StatusCode}: {e.Status.Detail})");
        }
    }

    private static string Stamp() => DateTimeOffset.UtcNow.ToString("HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Stops and removes the action's container, if it has one (a refused action must not go on running).</summary>
    private async Task StopAsync(ActionResponse action, CancellationToken cancellationToken)
    {
        StartActionInput input = ToInput(action);
        string name = ContainerNames.Action(input.WorkflowId, input.Task.Name, input.Action.Name, input.Attempt, input.Role);
        await engine.RemoveContainerAsync(action.WorkflowId, Local, name, cancellationToken);
    }

    /// <summary>
    /// The action as our engine runs it: the server has merged the task's environment and volumes in already. Its
    /// container's name comes from the workflow, the task, the action and the attempt and role of the action id (ours:
    /// <c>task/action/attempt[/handler]</c>; another server's: attempt 1), so after a restart the agent finds it.
    /// </summary>
    private static StartActionInput ToInput(ActionResponse action)
    {
        string[] parts = action.ActionId.Split('/');
        int attempt = parts.Length >= 3 && int.TryParse(parts[2], out int a) ? a : 1;
        ContainerRole role = parts.Length >= 4 ? ContainerRole.Handler : ContainerRole.Action;
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string pair in action.Environment)
        {
            int eq = pair.IndexOf('=', StringComparison.Ordinal);
            environment[eq < 0 ? pair : pair[..eq]] = eq < 0 ? "" : pair[(eq + 1)..];
        }

        string pid = action.Namespaces?.Pid is { Length: > 0 } p ? p : action.Pid;
        var definition = new ActionDefinition(
            action.Name,
            action.Image,
            action.Timeout > 0 ? (int)Math.Min(action.Timeout, int.MaxValue) : null,
            action.Command.Count > 0 ? [.. action.Command] : null,
            environment,
            [.. action.Volumes],
            string.IsNullOrEmpty(pid) ? null : pid,
            OnTimeout: null,
            OnFailure: null,
            Retries: 0);
        return new StartActionInput(action.WorkflowId, new TaskContext(action.TaskId, Local, [], new Dictionary<string, string>()), definition, attempt, role);
    }
}
