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

        (_, AgentOffer offer) = await work.CurrentOfferAsync(request.WorkflowId, request.ActionId, null, request.AgentId, context.CancellationToken);
        ContainerRole role = offer.Command is null ? ContainerRole.Action : ContainerRole.Handler;
        await logs.SaveTextAsync(request.WorkflowId, ContainerNames.Action(request.WorkflowId, offer.Task, offer.Action, offer.Attempt, role), request.Text, context.CancellationToken);
        return new UploadLogResponse();
    }
}
