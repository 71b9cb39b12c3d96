using System.Globalization;
using DurableWorkflows.Containers;
using DurableWorkflows.Core.Contracts;
using DurableWorkflows.Core.Templates;
using DurableWorkflows.Server.Agents.Tink;
using Grpc.Core;

namespace DurableWorkflows.Server.Agents;

/// <summary>
/// Tinkerbell's current agent protocol, as tink-server answers it: <c>GetAction</c> hands an agent the action its
/// workflow offers it (<c>NotFound</c> when there is none, <c>FailedPrecondition</c> while its previous action's end is
/// not taken yet); <c>ReportActionStatus</c> takes a report of the current action (<c>FailedPrecondition</c> for one
/// that is not current any more, <c>PermissionDenied</c> for another agent's, <c>InvalidArgument</c> for a malformed
/// one), and answers once the workflow has taken it, so the agent's next call sees what follows. An agent may repeat
/// RUNNING while it runs an action: the answer tells it whether the action is still current.
/// </summary>
public sealed class TinkAgentService(AgentWork work) : WorkflowService.WorkflowServiceBase
{
    public override async Task<ActionResponse> GetAction(ActionRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        if (string.IsNullOrWhiteSpace(request.AgentId))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "agent_id is required"));
        }

        AgentWorkflow workflow = await work.FindOfferAsync(request.AgentId, context.CancellationToken)
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"no workflow has an action for agent {request.AgentId}"));
        AgentOffer offer = workflow.Status.Offer!;
        TaskDefinition task = workflow.Input.Definition.Tasks.First(t => t.Name == offer.Task);
        ActionDefinition action = task.Actions.First(a => a.Name == offer.Action);
        var response = new ActionResponse
        {
            WorkflowId = workflow.WorkflowId,
            TaskId = task.Name,
            AgentId = offer.AgentId,
            ActionId = offer.Id,
            Name = action.Name,
            Image = action.Image,
            Timeout = action.TimeoutSeconds ?? 0,
            Pid = action.Pid ?? "",
            Namespaces = new Namespaces { Pid = action.Pid ?? "" },
        };
        response.Command.AddRange(offer.Command ?? action.Command ?? []);
        // The task's volumes before the action's (the action's win for the same path), the task's environment under the action's.
        response.Volumes.AddRange(ContainerSpecs.MergeVolumes(task.Volumes, action.Volumes).Select(v => v.Text));
        response.Environment.AddRange(ContainerSpecs.MergeEnvironment(task.Environment, action.Environment));
        return response;
    }

    public override async Task<ActionStatusResponse> ReportActionStatus(ActionStatusRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        string? missing = string.IsNullOrWhiteSpace(request.WorkflowId) ? "workflow_id"
            : string.IsNullOrWhiteSpace(request.AgentId) ? "agent_id"
            : string.IsNullOrWhiteSpace(request.TaskId) ? "task_id"
            : string.IsNullOrWhiteSpace(request.ActionId) ? "action_id"
            : null;
        if (missing is not null)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"{missing} is required"));
        }

        AgentActionState state = request.ActionState switch
        {
            ActionStatusRequest.Types.StateType.Running => AgentActionState.RUNNING,
            ActionStatusRequest.Types.StateType.Success => AgentActionState.SUCCESS,
            ActionStatusRequest.Types.StateType.Failed => AgentActionState.FAILED,
            ActionStatusRequest.Types.StateType.Timeout => AgentActionState.TIMEOUT,
            _ => throw new RpcException(new Status(StatusCode.InvalidArgument, $"action_state {request.ActionState} is not one an agent reports (RUNNING, SUCCESS, FAILED, TIMEOUT)")),
        };

        (_, AgentOffer offer) = await work.CurrentOfferAsync(request.WorkflowId, request.ActionId, request.TaskId, request.AgentId, context.CancellationToken);
        var report = new AgentReport(
            offer.AgentId,
            offer.Id,
            state,
            request.ExecutionStart?.ToDateTimeOffset(),
            request.ExecutionStop?.ToDateTimeOffset(),
            request.Message?.Message is { Length: > 0 } m ? m : Duration(request.ExecutionDuration));
        await work.SubmitAsync(request.WorkflowId, offer, report, context.CancellationToken);
        return new ActionStatusResponse();
    }

    private static string? Duration(string? duration) =>
        string.IsNullOrWhiteSpace(duration) ? null : string.Create(CultureInfo.InvariantCulture, $"after {duration}");
}
