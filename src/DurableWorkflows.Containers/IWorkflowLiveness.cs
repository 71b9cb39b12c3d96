namespace DurableWorkflows.Containers;

/// <summary>Tells the reaper whether a workflow is still running (its containers must then stay).</summary>
public interface IWorkflowLiveness
{
    /// <summary>True while the workflow may still use its containers (pending or running); false when it ended, was purged or is unknown.</summary>
    Task<bool> IsActiveAsync(string workflowId, CancellationToken cancellationToken = default);
}
