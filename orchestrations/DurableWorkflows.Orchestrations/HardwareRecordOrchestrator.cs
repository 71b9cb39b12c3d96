using DurableWorkflows.Core.Contracts;
using Microsoft.DurableTask;

namespace DurableWorkflows.Orchestrations;

/// <summary>
/// Keeps one Hardware record of the server's inventory (instance <c>hardware:{name}</c>): the record is the instance's
/// input, which the backend stores with the instance until it is purged, so every node of the task hub reads the same
/// record and it outlives restarts on a durable backend. It has nothing to do, and ends at once.
/// </summary>
public sealed class HardwareRecordOrchestrator : TaskOrchestrator<StoredRecord, string>
{
    public override Task<string> RunAsync(TaskOrchestrationContext context, StoredRecord input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Task.FromResult(input.Name);
    }
}
