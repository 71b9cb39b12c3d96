using DurableWorkflows.Containers;
using Microsoft.DurableTask.Client;

namespace DurableWorkflows.Server.Workflows;

/// <summary>The reaper's view of a workflow: active while its orchestration is pending, running or suspended.</summary>
public sealed class DurableWorkflowLiveness(DurableTaskClient client) : IWorkflowLiveness
{
    public async Task<bool> IsActiveAsync(string workflowId, CancellationToken cancellationToken = default)
    {
        OrchestrationMetadata? metadata = await client.GetInstanceAsync(workflowId, getInputsAndOutputs: false, cancellationToken);
        return metadata?.RuntimeStatus is OrchestrationRuntimeStatus.Pending
            or OrchestrationRuntimeStatus.Running
            or OrchestrationRuntimeStatus.Suspended;
    }
}
