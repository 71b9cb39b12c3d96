using DurableWorkflows.Containers;
using DurableWorkflows.Core.Contracts;
using DurableWorkflows.Server.Hardware;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace DurableWorkflows.Server.Workflows;

/// <summary>
/// Re-runs (Argo's resubmit): a new workflow under a new id with an earlier one's rendered definition, variables and
/// Hardware record, on the latest settings revision, linked both ways: the new one's input names the original
/// (<see cref="WorkflowOrigin.RerunOf"/>), and the original's re-runs are records <c>rerun:{original}:{new}</c> in the
/// task hub (a finished orchestration's own status cannot change), shared by every node and purged with either workflow.
/// </summary>
public sealed class WorkflowReruns(DurableTaskClient client, WorkflowStarter starter, IOptions<DockerOptions> dockerOptions)
{
    public const string InstancePrefix = "rerun:";

    /// <summary>What a workflow was made from, and its re-runs (oldest first); null when no workflow has that id.</summary>
    public async Task<(WorkflowInput Input, IReadOnlyList<string> Reruns)?> GetAsync(string workflowId, CancellationToken cancellationToken = default)
    {
        if (await InputAsync(workflowId, cancellationToken) is not { } input)
        {
            return null;
        }

        return (input, await RerunsAsync(workflowId, cancellationToken));
    }

    /// <summary>The ids of the workflow's re-runs, oldest first.</summary>
    public async Task<IReadOnlyList<string>> RerunsAsync(string workflowId, CancellationToken cancellationToken = default) =>
        [.. (await Links(workflowId).ListAsync(cancellationToken)).OrderBy(r => r.UpdatedAt).Select(r => r.Name)];

    /// <summary>Starts the re-run of <paramref name="originalId"/> under <paramref name="newId"/>; <see cref="WorkflowStartOutcome.UnknownWorkflow"/> when there is no such workflow.</summary>
    public async Task<WorkflowStartResult> RerunAsync(string originalId, string newId, CancellationToken cancellationToken = default)
    {
        if (await InputAsync(originalId, cancellationToken) is not { } original)
        {
            return new WorkflowStartResult(WorkflowStartOutcome.UnknownWorkflow, newId, Message: $"No workflow has id '{originalId}'.");
        }

        WorkflowInput input = original with
        {
            WorkflowId = newId,
            Settings = (original.Settings ?? WorkflowSettings.ForNewRun(dockerOptions.Value.MaxWait)) with { Revision = WorkflowSettings.LatestRevision },
            TraceParent = WorkflowStarter.CurrentTraceParent,
            Origin = (original.Origin ?? new WorkflowOrigin(null, null, null)) with { RerunOf = originalId },
        };

        // The link first: a re-run that starts is always listed; one whose start is refused leaves no link.
        bool linked = await Links(originalId).PutAsync(new StoredRecord(newId, originalId, DateTimeOffset.UtcNow), cancellationToken);
        WorkflowStartOutcome outcome = await starter.ScheduleAsync(input, cancellationToken);
        if (outcome != WorkflowStartOutcome.Started && linked)
        {
            await Links(originalId).DeleteAsync(newId, cancellationToken);
        }

        return new WorkflowStartResult(outcome, newId, input);
    }

    /// <summary>Removes the links of a purged workflow: its own re-runs' and the one from the workflow it re-ran.</summary>
    public async Task ForgetAsync(string workflowId, string? rerunOf, CancellationToken cancellationToken = default)
    {
        DurableRecordStore links = Links(workflowId);
        foreach (StoredRecord link in await links.ListAsync(cancellationToken))
        {
            await links.DeleteAsync(link.Name, cancellationToken);
        }

        if (rerunOf is not null)
        {
            await Links(rerunOf).DeleteAsync(workflowId, cancellationToken);
        }
    }

    private DurableRecordStore Links(string originalId) => new(client, $"{InstancePrefix}{originalId}:");

    /// <summary>The workflow's orchestration input, or null when no workflow has that id.</summary>
    public async Task<WorkflowInput?> InputAsync(string workflowId, CancellationToken cancellationToken = default)
    {
        OrchestrationMetadata? metadata = await client.GetInstanceAsync(workflowId, getInputsAndOutputs: true, cancellationToken);
        return metadata is null || metadata.Name != OrchestrationNames.Workflow ? null : metadata.ReadInputAs<WorkflowInput>();
    }
}
