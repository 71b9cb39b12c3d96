using DurableWorkflows.Containers;
using DurableWorkflows.Core.Contracts;
using DurableWorkflows.Server.Agents.Logs;
using Grpc.Core;

namespace DurableWorkflows.Server.Agents;

/// <summary>
/// Our agents' log upload (Tinkerbell's protocol has none): the output of an action an agent ran is kept as the server
/// keeps a container's log, so <c>dwf logs</c>, the API and the dashboard show it. Only the agent the action was offered
/// to may upload it, while its workflow runs.
/// </summary>
public sealed class AgentLogUploadService(AgentWork work, ContainerLogs logs) : AgentLogService.AgentLogServiceBase
{
    public override async Task<UploadLogResponse> UploadLog(UploadLogRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        if (string.IsNullOrWhiteSpace(request.WorkflowId) || string.IsNullOrWhiteSpace(request.ActionId) || string.IsNullOrWhiteSpace(request.AgentId))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "agent_id, workflow_id and action_id are required"));
        }

        AgentWorkflow workflow = await work.GetRunningAsync(request.WorkflowId, context.CancellationToken)
            ?? throw new RpcException(new Status(StatusCode.FailedPrecondition, $"workflow {request.WorkflowId} is not running"));
        if (workflow.Status.Offer is not { } offer || offer.Id != request.ActionId)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, $"action {request.ActionId} is not the current action of workflow {request.WorkflowId}"));
        }

        if (!AgentIds.Same(offer.AgentId, request.AgentId))
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, $"action {request.ActionId} of workflow {request.WorkflowId} is agent {offer.AgentId}'s, not {request.AgentId}'s"));
        }

        ContainerRole role = offer.Command is null ? ContainerRole.Action : ContainerRole.Handler;
        await logs.SaveTextAsync(request.WorkflowId, ContainerNames.Action(request.WorkflowId, offer.Task, offer.Action, offer.Attempt, role), request.Text, context.CancellationToken);
        return new UploadLogResponse();
    }
}
