using System.ComponentModel.DataAnnotations;

namespace DurableWorkflows.Server;

/// <summary>The server's settings: the <c>DurableWorkflows</c> section of host.json, then environment, then command line.</summary>
public sealed class DurableWorkflowsOptions
{
    public const string SectionName = "DurableWorkflows";

    /// <summary>The task hub: the name that scopes the durable state (queues, tables) of one deployment.</summary>
    [Required]
    [RegularExpression("^[A-Za-z][A-Za-z0-9]{2,44}$", ErrorMessage = "TaskHub must be 3 to 45 letters or digits, starting with a letter.")]
    public string TaskHub { get; set; } = "dwf";

    /// <summary><c>memory</c> (nothing survives the process) or <c>azurestorage</c>.</summary>
    [Required]
    [RegularExpression("^(memory|azurestorage)$", ErrorMessage = "Backend must be 'memory' or 'azurestorage'.")]
    public string Backend { get; set; } = BackendNames.Memory;

    /// <summary>The Azure Storage connection string (<c>UseDevelopmentStorage=true</c> for Azurite). <c>DWF_STORAGE_CONNECTION</c> overrides it.</summary>
    public string? StorageConnection { get; set; }

    /// <summary>Where the server keeps its files (container logs, per-workflow folders). <c>~</c> is the home directory.</summary>
    [Required]
    public string DataDirectory { get; set; } = "~/.local/share/durableworkflows";

    /// <summary>The HTTP API's address(es), separated by ';'.</summary>
    [Required]
    public string Urls { get; set; } = "http://127.0.0.1:8080";

    /// <summary>The loopback port of the gRPC sidecar; 0 picks a free one.</summary>
    [Range(0, 65535)]
    public int SidecarPort { get; set; }

    /// <summary>When set, every API request except /healthz needs <c>Authorization: Bearer TOKEN</c>.</summary>
    public string? ApiToken { get; set; }

    /// <summary>The largest request body the API accepts.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>This node's stable identity on a shared task hub (partition leases); the machine name by default.</summary>
    public string? WorkerId { get; set; }

    /// <summary>How many orchestration and activity work items the sidecar runs at once.</summary>
    [Range(1, 10_000)]
    public int MaxConcurrentWorkItems { get; set; } = 200;

    /// <summary>How long a dequeued activity stays invisible to other nodes (Azure Storage); 0 means twice the action wait bound.</summary>
    [Range(0, 3600)]
    public int WorkItemVisibilityTimeoutSeconds { get; set; }

    /// <summary>How long stopping the host may take.</summary>
    [Range(1, 300)]
    public int ShutdownTimeoutSeconds { get; set; } = 5;

    /// <summary>The data directory with <c>~</c> expanded.</summary>
    public string ResolvedDataDirectory => ExpandHome(DataDirectory);

    internal static string ExpandHome(string path) =>
        path == "~" || path.StartsWith("~/", StringComparison.Ordinal)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path.TrimStart('~').TrimStart('/'))
            : path;
}

/// <summary>The names of the durable backends.</summary>
public static class BackendNames
{
    public const string Memory = "memory";
    public const string AzureStorage = "azurestorage";
}
