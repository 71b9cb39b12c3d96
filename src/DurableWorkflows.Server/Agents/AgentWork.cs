using DurableWorkflows.Core.Contracts;
using Grpc.Core;
using Microsoft.DurableTask.Client;

namespace DurableWorkflows.Server.Agents;

/// <summary>A running workflow as an agent call sees it: its input (the definition) and its status (the offer).</summary>
public sealed record AgentWorkflow(string WorkflowId, WorkflowInput Input, WorkflowStatus Status);

/// <summary>
/// What the workflows offer agents, read from the task hub itself (each workflow's status carries its offer), so every
/// server node of a hub answers an agent the same way, whichever node runs the workflow.
/// </summary>
public sealed class AgentWork(DurableTaskClient client)
{
    /// <summary>The oldest offer to <paramref name="agentId"/> among the running workflows, or null.</summary>
    public async Task<AgentWorkflow?> FindOfferAsync(string agentId, CancellationToken cancellationToken)
    {
        var query = new OrchestrationQuery
        {
            Statuses = [OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Pending],
            FetchInputsAndOutputs = true,
            PageSize = 100,
        };
        AgentWorkflow? oldest = null;
        await foreach (OrchestrationMetadata metadata in client.GetAllInstancesAsync(query).WithCancellation(cancellationToken))
        {
            if (Read(metadata) is { Status.Offer: { } offer } workflow && AgentIds.Same(offer.AgentId, agentId)
                && (oldest is null || offer.OfferedAt < oldest.Status.Offer!.OfferedAt))
            {
                oldest = workflow;
            }
        }

        return oldest;
    }

    /// <summary>The workflow of that id while it runs; null when there is none or it has ended.</summary>
    public async Task<AgentWorkflow?> GetRunningAsync(string workflowId, CancellationToken cancellationToken)
    {
        OrchestrationMetadata? metadata = await client.GetInstanceAsync(workflowId, getInputsAndOutputs: true, cancellationToken);
        return metadata is { IsRunning: true } ? Read(metadata) : null;
    }

    /// <summary>
    /// The offer an agent's call names, checked: its workflow runs (else <c>FailedPrecondition</c>), the action is the one
    /// offered (else <c>FailedPrecondition</c>: it ended, timed out or was cancelled), and it is this agent's (else <c>PermissionDenied</c>).
    /// </summary>
    public async Task<(AgentWorkflow Workflow, AgentOffer Offer)> CurrentOfferAsync(
        string workflowId, string actionId, string? taskId, string agentId, CancellationToken cancellationToken)
    {
        AgentWorkflow workflow = await GetRunningAsync(workflowId, cancellationToken)
            ?? throw new RpcException(new Status(StatusCode.FailedPrecondition, $"workflow {workflowId} is not running"));
        if (workflow.Status.Offer is not { } offer || offer.Id != actionId || (taskId is not null && offer.Task != taskId))
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition,
                $"action {actionId} is not the current action of workflow {workflowId} (it ended, timed out or was cancelled)"));
        }

        if (!AgentIds.Same(offer.AgentId, agentId))
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, $"action {actionId} of workflow {workflowId} is agent {offer.AgentId}'s, not {agentId}'s"));
        }

        return (workflow, offer);
    }

    /// <summary>Raises the report on the workflow, then waits until its status shows it was taken (bounded).</summary>
    public async Task<bool> ReportAsync(string workflowId, AgentReport report, TimeSpan bound, CancellationToken cancellationToken)
    {
        await client.RaiseEventAsync(workflowId, EventNames.AgentReport, report, cancellationToken);
        DateTimeOffset end = DateTimeOffset.UtcNow + bound;
        while (DateTimeOffset.UtcNow < end)
        {
            AgentWorkflow? workflow = await GetRunningAsync(workflowId, cancellationToken);
            if (workflow is null || Taken(workflow.Status.Offer, report))
            {
                return true;
            }

            await Task.Delay(20, cancellationToken);
        }

        return false;
    }

    /// <summary>The report shows in the status: a RUNNING one marks its offer running, a final one ends the offer.</summary>
    private static bool Taken(AgentOffer? offer, AgentReport report) =>
        offer is null || offer.Id != report.OfferId || (report.State == AgentActionState.RUNNING && offer.Running);

    private static AgentWorkflow? Read(OrchestrationMetadata metadata)
    {
        if (metadata.Name != OrchestrationNames.Workflow || metadata.SerializedCustomStatus is null || metadata.SerializedInput is null)
        {
            return null;
        }

        WorkflowInput? input = metadata.ReadInputAs<WorkflowInput>();
        WorkflowStatus? status = metadata.ReadCustomStatusAs<WorkflowStatus>();
        return input is null || status is null ? null : new AgentWorkflow(metadata.InstanceId, input, status);
    }
}
