using DurableWorkflows.Core.Contracts;
using DurableWorkflows.Server.Workflows;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace DurableWorkflows.Server.Hardware;

/// <summary>
/// Keeps each record as the input of one <see cref="OrchestrationNames.HardwareRecord"/> instance (id
/// <c>{prefix}{name}</c>: <c>hardware:</c>, <c>template:</c>) in the task hub, so the records live where the workflows live: in the backend's instance
/// store, shared by every node of the hub, durable on Azure Storage (in memory on the memory backend, like everything
/// else there). The instance ends at once and stays until it is purged; a put replaces it (purge, then start again).
/// </summary>
public class DurableRecordStore(DurableTaskClient client, string prefix) : IRecordStore
{
    /// <summary>How long a put or delete waits for the instance it replaces to end (it ends at once once a worker runs it).</summary>
    public static TimeSpan SettleTimeout { get; set; } = TimeSpan.FromSeconds(10);

    private const int PutAttempts = 3;

    public async Task<StoredRecord?> GetAsync(string name, CancellationToken cancellationToken = default)
    {
        OrchestrationMetadata? metadata = await client.GetInstanceAsync(prefix + name, getInputsAndOutputs: true, cancellationToken);
        return metadata is null || metadata.Name != OrchestrationNames.HardwareRecord ? null : metadata.ReadInputAs<StoredRecord>();
    }

    public async Task<IReadOnlyList<StoredRecord>> ListAsync(CancellationToken cancellationToken = default)
    {
        var query = new OrchestrationQuery { InstanceIdPrefix = prefix, FetchInputsAndOutputs = true, PageSize = 100 };
        var entries = new List<StoredRecord>();
        await foreach (OrchestrationMetadata metadata in client.GetAllInstancesAsync(query).WithCancellation(cancellationToken))
        {
            if (metadata.Name == OrchestrationNames.HardwareRecord && metadata.ReadInputAs<StoredRecord>() is { } entry)
            {
                entries.Add(entry);
            }
        }

        return [.. entries.OrderBy(e => e.Name, StringComparer.Ordinal)];
    }

    public async Task<bool> PutAsync(StoredRecord entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        string instanceId = prefix + entry.Name;
        bool existed = false;
        for (int attempt = 1; ; attempt++)
        {
            existed |= await RemoveAsync(instanceId, cancellationToken);
            try
            {
                await client.ScheduleNewOrchestrationInstanceAsync(
                    OrchestrationNames.HardwareRecord,
                    entry,
                    new StartOrchestrationOptions(instanceId).WithDedupeStatuses(
                        OrchestrationRuntimeStatus.Pending,
                        OrchestrationRuntimeStatus.Running,
                        OrchestrationRuntimeStatus.Suspended,
                        OrchestrationRuntimeStatus.Completed,
                        OrchestrationRuntimeStatus.Failed,
                        OrchestrationRuntimeStatus.Terminated),
                    cancellationToken);
                return !existed;
            }
            catch (global::DurableTask.Core.Exceptions.OrchestrationAlreadyExistsException) when (attempt < PutAttempts)
            {
                // Another node put the same name between the purge and the start: replace that one in turn.
            }
        }
    }

    public Task<bool> DeleteAsync(string name, CancellationToken cancellationToken = default) =>
        RemoveAsync(prefix + name, cancellationToken);

    /// <summary>Purges the instance once it has ended; false when there is none.</summary>
    private async Task<bool> RemoveAsync(string instanceId, CancellationToken cancellationToken)
    {
        OrchestrationMetadata? metadata = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken);
        if (metadata is null)
        {
            return false;
        }

        if (metadata.RuntimeStatus is OrchestrationRuntimeStatus.Pending or OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Suspended)
        {
            await client.EndWithinAsync(instanceId, SettleTimeout, "replaced", cancellationToken);
        }

        PurgeResult purged = await client.PurgeInstanceAsync(instanceId, cancellation: cancellationToken);
        return purged.PurgedInstanceCount > 0;
    }
}

/// <summary>The Hardware records (<c>hardware:{name}</c>).</summary>
public sealed class DurableHardwareInventory(DurableTaskClient client) : DurableRecordStore(client, HardwareNames.InstancePrefix), IHardwareInventory;

/// <summary>The stored templates (<c>template:{name}</c>).</summary>
public sealed class DurableTemplateStore(DurableTaskClient client) : DurableRecordStore(client, TemplateNames.InstancePrefix), ITemplateStore;
