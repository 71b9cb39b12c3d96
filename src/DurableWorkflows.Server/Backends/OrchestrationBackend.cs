using DurableTask.AzureStorage;
using DurableTask.Core;
using Microsoft.DurableTask.Testing.Sidecar;

namespace DurableWorkflows.Server.Backends;

/// <summary>Creates the orchestration service the sidecar runs on, from the server's options.</summary>
public static class OrchestrationBackend
{
    /// <summary>The configuration key of the bound on one action wait (the container engine's option).</summary>
    public const string MaxWaitSecondsKey = DurableWorkflowsOptions.SectionName + ":Docker:MaxWaitSeconds";

    private const int DefaultMaxWaitSeconds = 30;

    /// <summary>What an activity may take beyond its wait bound (inspect, log tail, saving logs) before its lock lapses.</summary>
    private const int ActivityMarginSeconds = 30;

    public static ConcurrencyLimitedOrchestrationService Create(
        DurableWorkflowsOptions options,
        IConfiguration configuration,
        ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(configuration);
        IOrchestrationService inner = options.Backend switch
        {
            BackendNames.Memory => new InMemoryOrchestrationService(loggerFactory),
            BackendNames.AzureStorage => new AzureStorageOrchestrationService(AzureStorageSettings(options, configuration, loggerFactory)),
            _ => throw new InvalidOperationException($"Unknown backend '{options.Backend}': use '{BackendNames.Memory}' or '{BackendNames.AzureStorage}'."),
        };
        return new ConcurrencyLimitedOrchestrationService(inner, options.MaxConcurrentWorkItems);
    }

    /// <summary>
    /// Locks are not renewed, so a dequeued activity must finish within the visibility timeout, and a crashed
    /// node's activity is redelivered only after it: the action wait bound plus a margin covers the first and keeps
    /// the second short (60 s with the default 30 s wait).
    /// </summary>
    public static TimeSpan WorkItemVisibilityTimeout(DurableWorkflowsOptions options, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(configuration);
        if (options.WorkItemVisibilityTimeoutSeconds > 0)
        {
            return TimeSpan.FromSeconds(options.WorkItemVisibilityTimeoutSeconds);
        }

        int maxWait = configuration.GetValue(MaxWaitSecondsKey, DefaultMaxWaitSeconds);
        return TimeSpan.FromSeconds(maxWait + ActivityMarginSeconds);
    }

    private static AzureStorageOrchestrationServiceSettings AzureStorageSettings(
        DurableWorkflowsOptions options,
        IConfiguration configuration,
        ILoggerFactory loggerFactory)
    {
        if (string.IsNullOrWhiteSpace(options.StorageConnection))
        {
            throw new InvalidOperationException(
                "The azurestorage backend needs a storage connection: set DurableWorkflows:StorageConnection in host.json, "
                + "DWF_STORAGE_CONNECTION, or --storage-connection.");
        }

        TimeSpan visibility = WorkItemVisibilityTimeout(options, configuration);
        return new AzureStorageOrchestrationServiceSettings
        {
            StorageAccountClientProvider = new StorageAccountClientProvider(options.StorageConnection),
            TaskHubName = options.TaskHub,
            WorkerId = string.IsNullOrWhiteSpace(options.WorkerId) ? Environment.MachineName : options.WorkerId,
            WorkItemQueueVisibilityTimeout = visibility,
            ControlQueueVisibilityTimeout = visibility,
            MaxQueuePollingInterval = TimeSpan.FromSeconds(1),
            MaxConcurrentTaskActivityWorkItems = options.MaxConcurrentWorkItems,
            MaxConcurrentTaskOrchestrationWorkItems = options.MaxConcurrentWorkItems,
            LoggerFactory = loggerFactory,
        };
    }
}
