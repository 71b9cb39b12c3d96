using DurableTask.Core;
using DurableTask.Core.Query;

namespace DurableWorkflows.Server.Backends;

/// <summary>
/// Passes everything to an orchestration service but reports the concurrency limits given here.
/// The sidecar's dispatchers read these limits and sleep 500 ms whenever that many work items are in flight;
/// the in-memory service reports the processor count, which starves long activities (an action wait blocks
/// one work item for up to its bound).
/// </summary>
public sealed class ConcurrencyLimitedOrchestrationService :
    IOrchestrationService,
    IOrchestrationServiceClient,
    IOrchestrationServiceQueryClient,
    IOrchestrationServicePurgeClient
{
    private readonly IOrchestrationService _service;
    private readonly IOrchestrationServiceClient _client;
    private readonly IOrchestrationServiceQueryClient _queryClient;
    private readonly IOrchestrationServicePurgeClient _purgeClient;

    public ConcurrencyLimitedOrchestrationService(IOrchestrationService inner, int maxConcurrentWorkItems)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrentWorkItems, 1);
        _service = inner;
        _client = inner as IOrchestrationServiceClient
            ?? throw new ArgumentException("The service must also be an IOrchestrationServiceClient.", nameof(inner));
        _queryClient = inner as IOrchestrationServiceQueryClient
            ?? throw new ArgumentException("The service must support instance queries.", nameof(inner));
        _purgeClient = inner as IOrchestrationServicePurgeClient
            ?? throw new ArgumentException("The service must support purging instances.", nameof(inner));
        MaxConcurrentTaskOrchestrationWorkItems = maxConcurrentWorkItems;
        MaxConcurrentTaskActivityWorkItems = maxConcurrentWorkItems;
    }

    /// <summary>The wrapped service.</summary>
    public IOrchestrationService Inner => _service;

    public int MaxConcurrentTaskOrchestrationWorkItems { get; }

    public int MaxConcurrentTaskActivityWorkItems { get; }

    public int TaskOrchestrationDispatcherCount => _service.TaskOrchestrationDispatcherCount;

    public int TaskActivityDispatcherCount => _service.TaskActivityDispatcherCount;

    public BehaviorOnContinueAsNew EventBehaviourForContinueAsNew => _service.EventBehaviourForContinueAsNew;

    public Task StartAsync() => _service.StartAsync();

    public Task StopAsync() => _service.StopAsync();

    public Task StopAsync(bool isForced) => _service.StopAsync(isForced);

    public Task CreateAsync() => _service.CreateAsync();

    public Task CreateAsync(bool recreateInstanceStore) => _service.CreateAsync(recreateInstanceStore);

    public Task CreateIfNotExistsAsync() => _service.CreateIfNotExistsAsync();

    public Task DeleteAsync() => _service.DeleteAsync();

    public Task DeleteAsync(bool deleteInstanceStore) => _service.DeleteAsync(deleteInstanceStore);

    public bool IsMaxMessageCountExceeded(int currentMessageCount, OrchestrationRuntimeState runtimeState) =>
        _service.IsMaxMessageCountExceeded(currentMessageCount, runtimeState);

    public int GetDelayInSecondsAfterOnProcessException(Exception exception) =>
        _service.GetDelayInSecondsAfterOnProcessException(exception);

    public int GetDelayInSecondsAfterOnFetchException(Exception exception) =>
        _service.GetDelayInSecondsAfterOnFetchException(exception);

    public Task<TaskOrchestrationWorkItem> LockNextTaskOrchestrationWorkItemAsync(TimeSpan receiveTimeout, CancellationToken cancellationToken) =>
        _service.LockNextTaskOrchestrationWorkItemAsync(receiveTimeout, cancellationToken);

    public Task RenewTaskOrchestrationWorkItemLockAsync(TaskOrchestrationWorkItem workItem) =>
        _service.RenewTaskOrchestrationWorkItemLockAsync(workItem);

    public Task CompleteTaskOrchestrationWorkItemAsync(
        TaskOrchestrationWorkItem workItem,
        OrchestrationRuntimeState newOrchestrationRuntimeState,
        IList<TaskMessage> outboundMessages,
        IList<TaskMessage> orchestratorMessages,
        IList<TaskMessage> timerMessages,
        TaskMessage continuedAsNewMessage,
        OrchestrationState orchestrationState) =>
        _service.CompleteTaskOrchestrationWorkItemAsync(
            workItem, newOrchestrationRuntimeState, outboundMessages, orchestratorMessages, timerMessages, continuedAsNewMessage, orchestrationState);

    public Task AbandonTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) =>
        _service.AbandonTaskOrchestrationWorkItemAsync(workItem);

    public Task ReleaseTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) =>
        _service.ReleaseTaskOrchestrationWorkItemAsync(workItem);

    public Task<TaskActivityWorkItem> LockNextTaskActivityWorkItem(TimeSpan receiveTimeout, CancellationToken cancellationToken) =>
        _service.LockNextTaskActivityWorkItem(receiveTimeout, cancellationToken);

    public Task<TaskActivityWorkItem> RenewTaskActivityWorkItemLockAsync(TaskActivityWorkItem workItem) =>
        _service.RenewTaskActivityWorkItemLockAsync(workItem);

    public Task CompleteTaskActivityWorkItemAsync(TaskActivityWorkItem workItem, TaskMessage responseMessage) =>
        _service.CompleteTaskActivityWorkItemAsync(workItem, responseMessage);

    public Task AbandonTaskActivityWorkItemAsync(TaskActivityWorkItem workItem) =>
        _service.AbandonTaskActivityWorkItemAsync(workItem);

    public Task CreateTaskOrchestrationAsync(TaskMessage creationMessage) =>
        _client.CreateTaskOrchestrationAsync(creationMessage);

    public Task CreateTaskOrchestrationAsync(TaskMessage creationMessage, OrchestrationStatus[] dedupeStatuses) =>
        _client.CreateTaskOrchestrationAsync(creationMessage, dedupeStatuses);

    public Task SendTaskOrchestrationMessageAsync(TaskMessage message) =>
        _client.SendTaskOrchestrationMessageAsync(message);

    public Task SendTaskOrchestrationMessageBatchAsync(params TaskMessage[] messages) =>
        _client.SendTaskOrchestrationMessageBatchAsync(messages);

    public Task<OrchestrationState> WaitForOrchestrationAsync(string instanceId, string executionId, TimeSpan timeout, CancellationToken cancellationToken) =>
        _client.WaitForOrchestrationAsync(instanceId, executionId, timeout, cancellationToken);

    public Task ForceTerminateTaskOrchestrationAsync(string instanceId, string reason) =>
        _client.ForceTerminateTaskOrchestrationAsync(instanceId, reason);

    public Task<IList<OrchestrationState>> GetOrchestrationStateAsync(string instanceId, bool allExecutions) =>
        _client.GetOrchestrationStateAsync(instanceId, allExecutions);

    public Task<OrchestrationState> GetOrchestrationStateAsync(string instanceId, string executionId) =>
        _client.GetOrchestrationStateAsync(instanceId, executionId);

    public Task<string> GetOrchestrationHistoryAsync(string instanceId, string executionId) =>
        _client.GetOrchestrationHistoryAsync(instanceId, executionId);

    public Task PurgeOrchestrationHistoryAsync(DateTime thresholdDateTimeUtc, OrchestrationStateTimeRangeFilterType timeRangeFilterType) =>
        _client.PurgeOrchestrationHistoryAsync(thresholdDateTimeUtc, timeRangeFilterType);

    public Task<OrchestrationQueryResult> GetOrchestrationWithQueryAsync(OrchestrationQuery query, CancellationToken cancellationToken) =>
        _queryClient.GetOrchestrationWithQueryAsync(query, cancellationToken);

    public Task<PurgeResult> PurgeInstanceStateAsync(string instanceId) =>
        _purgeClient.PurgeInstanceStateAsync(instanceId);

    public Task<PurgeResult> PurgeInstanceStateAsync(PurgeInstanceFilter purgeInstanceFilter) =>
        _purgeClient.PurgeInstanceStateAsync(purgeInstanceFilter);
}
