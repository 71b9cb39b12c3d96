using DurableWorkflows.Containers;

namespace DurableWorkflows.Activities;

/// <summary>
/// An activity the runtime delivers again after its workflow has ended (a crashed node's work item, redelivered once its
/// lock expired) must not create its container again: the workflow removed it, and starting it would run the action a
/// second time. Where the server knows its workflows (<see cref="IWorkflowLiveness"/>), such a delivery is refused.
/// </summary>
internal static class LateDelivery
{
    public static async Task ThrowIfEndedAsync(IWorkflowLiveness? liveness, string workflowId)
    {
        if (await HasEndedAsync(liveness, workflowId))
        {
            throw new InvalidOperationException($"workflow {workflowId} has ended: this late delivery of its work creates no container");
        }
    }

    /// <summary>True when the server knows the workflow has ended; false when it is active or the store cannot say.</summary>
    public static async Task<bool> HasEndedAsync(IWorkflowLiveness? liveness, string workflowId)
    {
        try
        {
            return liveness is not null && !await liveness.IsActiveAsync(workflowId);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The check is a guard against late deliveries, not a gate: when the store cannot say, the work goes on.
            return false;
        }
    }
}
