using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using DurableWorkflows.Core.Contracts;
using Grpc.Core;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace DurableWorkflows.Server.Agents;

/// <summary>A running workflow as an agent call sees it: its input (the definition) and its status (the offer).</summary>
public sealed record AgentWorkflow(string WorkflowId, WorkflowInput Input, WorkflowStatus Status);

/// <summary>
/// What the workflows offer agents, read from the task hub itself (each workflow's status carries its offer), so every
/// server node of a hub answers an agent the same way, whichever node runs the workflow.
/// </summary>
public sealed class AgentWork(DurableTaskClient client, IOptions<AgentOptions> options)
{
    /// <summary>
    /// Where each agent's next action was seen offered when this node took its report (by <see cref="AgentIds.Key"/>):
    /// its next call reads that workflow alone instead of every running one. A hint only; the task hub decides.
    /// </summary>
    private readonly ConcurrentDictionary<string, string> nextOffers = new(StringComparer.Ordinal);

    /// <summary>
    /// The offer to <paramref name="agentId"/> in the workflow whose report it sent last, when there is one; else the
    /// oldest offer to it among the running workflows, or null.
    /// </summary>
    public async Task<AgentWorkflow?> FindOfferAsync(string agentId, CancellationToken cancellationToken)
    {
        string key = AgentIds.Key(agentId);
        if (nextOffers.TryRemove(key, out string? hinted)
            && await GetRunningAsync(hinted, cancellationToken) is { Status.Offer: { } next } hintedWorkflow && AgentIds.Same(next.AgentId, agentId))
        {
            return hintedWorkflow;
        }

        AgentWorkflow? oldest = null;
        await foreach (AgentWorkflow workflow in RunningAsync(cancellationToken))
        {
            if (workflow.Status.Offer is { } offer && AgentIds.Same(offer.AgentId, agentId)
                && (oldest is null || offer.OfferedAt < oldest.Status.Offer!.OfferedAt))
            {
                oldest = workflow;
            }
        }

        return oldest;
    }

    /// <summary>Every running workflow of the task hub, with its input and status.</summary>
    public async IAsyncEnumerable<AgentWorkflow> RunningAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var query = new OrchestrationQuery
        {
            Statuses = [OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Pending],
            FetchInputsAndOutputs = true,
            PageSize = 100,
        };
        await foreach (OrchestrationMetadata metadata in client.GetAllInstancesAsync(query).WithCancellation(cancellationToken))
        {
            if (Read(metadata) is { } workflow)
            {
                yield return workflow;
            }
        }
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
    public Task<(AgentWorkflow Workflow, AgentOffer Offer)> CurrentOfferAsync(
        string workflowId, string actionId, string? taskId, string agentId, CancellationToken cancellationToken) =>
        CurrentOfferAsync(workflowId, $"action {actionId}", o => o.Id == actionId && (taskId is null || o.Task == taskId), agentId, TimeSpan.Zero, cancellationToken);

    /// <summary>
    /// As above for the offer that <paramref name="names"/> matches (<paramref name="what"/> says which in the refusal),
    /// waiting up to <paramref name="wait"/> for it to be offered: an agent that runs its worker's next action on its own,
    /// as tink-worker does, may report it before the workflow has offered it.
    /// </summary>
    public async Task<(AgentWorkflow Workflow, AgentOffer Offer)> CurrentOfferAsync(
        string workflowId, string what, Func<AgentOffer, bool> names, string agentId, TimeSpan wait, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(names);
        DateTimeOffset end = DateTimeOffset.UtcNow + wait;
        for (; ; await Task.Delay(20, cancellationToken))
        {
            AgentWorkflow workflow = await GetRunningAsync(workflowId, cancellationToken)
                ?? throw new RpcException(new Status(StatusCode.FailedPrecondition, $"workflow {workflowId} is not running"));
            if (workflow.Status.Offer is { } offer && names(offer))
            {
                if (!AgentIds.Same(offer.AgentId, agentId))
                {
                    throw new RpcException(new Status(StatusCode.PermissionDenied, $"{what} of workflow {workflowId} is agent {offer.AgentId}'s, not {agentId}'s"));
                }

                return (workflow, offer);
            }

            if (DateTimeOffset.UtcNow >= end)
            {
                throw new RpcException(new Status(StatusCode.FailedPrecondition,
                    $"{what} is not the current action of workflow {workflowId} (it ended, timed out or was cancelled)"));
            }
        }
    }

    /// <summary>
    /// Hands the workflow an agent's report on its current <paramref name="offer"/> and answers once the workflow has taken
    /// it (<c>Unavailable</c>, to be sent again, when that takes longer than <see cref="AgentOptions.ReportTakenSeconds"/>).
    /// A RUNNING again of an action taken as running (a heartbeat, an agent's restart) changes nothing and costs no history.
    /// </summary>
    public async Task SubmitAsync(string workflowId, AgentOffer offer, AgentReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(offer);
        ArgumentNullException.ThrowIfNull(report);
        if (report.State == AgentActionState.RUNNING && offer.Running)
        {
            return;
        }

        await client.RaiseEventAsync(workflowId, EventNames.AgentReport, report, cancellationToken);
        DateTimeOffset end = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(Math.Max(1, options.Value.ReportTakenSeconds));
        for (int polls = 0; DateTimeOffset.UtcNow < end; polls++)
        {
            AgentWorkflow? workflow = await GetRunningAsync(workflowId, cancellationToken);
            if (workflow is null || Taken(workflow.Status.Offer, report))
            {
                if (workflow?.Status.Offer is { } next && AgentIds.Same(next.AgentId, report.AgentId))
                {
                    nextOffers[AgentIds.Key(report.AgentId)] = workflowId;
                }

                return;
            }

            // Most reports are taken within a few of the workflow's turns: look often at first.
            await Task.Delay(polls < 20 ? 5 : 20, cancellationToken);
        }

        throw new RpcException(new Status(StatusCode.Unavailable, $"workflow {workflowId} has not taken the report yet: send it again"));
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
