using System.Collections.Concurrent;
using DurableWorkflows.Containers;
using DurableWorkflows.Core.Contracts;
using DurableWorkflows.Core.Templates;
using DurableWorkflows.Server.Agents.TinkWorker;
using Grpc.Core;

namespace DurableWorkflows.Server.Agents;

/// <summary>
/// Tinkerbell's legacy worker protocol (tink-worker v0.9-v0.12), as tink-server answered it. <c>GetWorkflowContexts</c>
/// streams, for each running workflow with an action offered to the worker, where the workflow stands (its current
/// action, PENDING or RUNNING, by its index in the action list), then ends; the worker asks again after its retry
/// interval. <c>GetWorkflowActions</c> lists the workflow's actions with the worker that runs each, the task's
/// environment and volumes merged in. <c>ReportActionStatus</c> takes the worker's report of the action offered to it
/// (named by task and action), checked as the current protocol's reports are.
/// </summary>
/// <remarks>
/// The handlers (on-failure, on-timeout) are the workflow's, as for every agent: tink-worker v0.9 would run its own
/// under the failed action's container name while that container still exists, so they never start. While a handler is
/// offered, the list shows it as its action with the handler's command and ends there: the worker runs it as that
/// action, reports it, and stops.
/// </remarks>
public sealed class TinkWorkerService(AgentWork work, TinkWorkerIds dialedIds) : WorkflowService.WorkflowServiceBase
{
    public override async Task GetWorkflowContexts(WorkflowContextRequest request, IServerStreamWriter<WorkflowContext> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);
        string workerId = Required(request.WorkerId, "worker_id");
        dialedIds.Dialed(workerId);
        await foreach (AgentWorkflow workflow in work.RunningAsync(context.CancellationToken))
        {
            if (workflow.Status.Offer is not { } offer || !AgentIds.Same(offer.AgentId, workerId))
            {
                continue;
            }

            IReadOnlyList<(TaskDefinition Task, ActionDefinition Action)> actions = Actions(workflow.Input.Definition);
            int index = actions.Select((a, i) => (a, i)).First(p => p.a.Task.Name == offer.Task && p.a.Action.Name == offer.Action).i;
            await responseStream.WriteAsync(new WorkflowContext
            {
                WorkflowId = workflow.WorkflowId,
                CurrentWorker = workerId,
                CurrentTask = offer.Task,
                CurrentAction = offer.Action,
                CurrentActionIndex = index,
                CurrentActionState = offer.Running ? State.Running : State.Pending,
                TotalNumberOfActions = actions.Count,
            }, context.CancellationToken);
        }
    }

    public override async Task<WorkflowActionList> GetWorkflowActions(WorkflowActionsRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        string workflowId = Required(request.WorkflowId, "workflow_id");
        AgentWorkflow workflow = await work.GetRunningAsync(workflowId, context.CancellationToken) is { Input.Settings.AgentWorkers.Count: > 0 } running
            ? running
            : throw new RpcException(new Status(StatusCode.NotFound, $"no running workflow {workflowId} has actions for agents"));
        WorkflowSettings settings = workflow.Input.Settings!;
        AgentOffer? handler = workflow.Status.Offer is { Command: not null } offered ? offered : null;
        var list = new WorkflowActionList();
        foreach ((TaskDefinition task, ActionDefinition action) in Actions(workflow.Input.Definition))
        {
            string? agent = settings.AgentOf(task.Worker);
            bool handled = handler is not null && handler.Task == task.Name && handler.Action == action.Name;
            var item = new WorkflowAction
            {
                TaskName = task.Name,
                Name = action.Name,
                Image = action.Image,
                Timeout = action.TimeoutSeconds ?? 0,
                WorkerId = agent is null ? task.Worker : dialedIds.AsDialed(agent),
                Pid = action.Pid ?? "",
            };
            item.Command.AddRange(handled ? handler!.Command! : action.Command ?? []);
            item.Volumes.AddRange(ContainerSpecs.MergeVolumes(task.Volumes, action.Volumes).Select(v => v.Text));
            item.Environment.AddRange(ContainerSpecs.MergeEnvironment(task.Environment, action.Environment));
            list.ActionList.Add(item);
            if (handled)
            {
                break;
            }
        }

        return list;
    }

    public override async Task<Empty> ReportActionStatus(WorkflowActionStatus request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        string workflowId = Required(request.WorkflowId, "workflow_id");
        string task = Required(request.TaskName, "task_name");
        string action = Required(request.ActionName, "action_name");
        string workerId = Required(request.WorkerId, "worker_id");
        AgentActionState state = request.ActionStatus switch
        {
            State.Running => AgentActionState.RUNNING,
            State.Success => AgentActionState.SUCCESS,
            State.Failed => AgentActionState.FAILED,
            State.Timeout => AgentActionState.TIMEOUT,
            _ => throw new RpcException(new Status(StatusCode.InvalidArgument, $"action_status {request.ActionStatus} is not one a worker reports (RUNNING, SUCCESS, FAILED, TIMEOUT)")),
        };

        // tink-worker starts its next action on its own right after a SUCCESS is taken: its RUNNING may come before the offer.
        TimeSpan wait = state == AgentActionState.RUNNING ? TimeSpan.FromSeconds(10) : TimeSpan.Zero;
        (_, AgentOffer offer) = await work.CurrentOfferAsync(
            workflowId, $"action {action} of task {task}", o => o.Task == task && o.Action == action, workerId, wait, context.CancellationToken);
        DateTimeOffset now = DateTimeOffset.UtcNow;
        var report = new AgentReport(
            offer.AgentId,
            offer.Id,
            state,
            state == AgentActionState.RUNNING ? null : now - TimeSpan.FromSeconds(Math.Max(0, request.Seconds)),
            state == AgentActionState.RUNNING ? null : now,
            string.IsNullOrWhiteSpace(request.Message) ? null : request.Message);
        await work.SubmitAsync(workflowId, offer, report, context.CancellationToken);
        return new Empty();
    }

    /// <summary>The workflow's actions in the order they run: the index tink-worker walks.</summary>
    private static List<(TaskDefinition Task, ActionDefinition Action)> Actions(WorkflowDefinition definition) =>
        [.. definition.Tasks.SelectMany(t => t.Actions.Select(a => (t, a)))];

    private static string Required(string value, string field) =>
        string.IsNullOrWhiteSpace(value) ? throw new RpcException(new Status(StatusCode.InvalidArgument, $"{field} is required")) : value;
}

/// <summary>
/// The ID each tink-worker dials with, by its normalized form (one for the server): tink-worker compares an action's
/// worker_id with its own as plain strings, so an agent ID written in another form (case, separators) is sent back as it dials.
/// </summary>
public sealed class TinkWorkerIds
{
    private readonly ConcurrentDictionary<string, string> dialed = new(StringComparer.Ordinal);

    public void Dialed(string workerId) => dialed[AgentIds.Key(workerId)] = workerId;

    public string AsDialed(string agentId) => dialed.GetValueOrDefault(AgentIds.Key(agentId), agentId);
}
