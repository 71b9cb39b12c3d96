using System.CommandLine;
using DurableWorkflows.Server;
using DurableWorkflows.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Options;

namespace DurableWorkflows.Cli.Common;

/// <summary>The options <c>serve</c> and <c>sidecar</c> share, turned into configuration overrides (they win over host.json and the environment).</summary>
public sealed class HostOptionsFromCommandLine
{
    public Option<string?> Backend { get; } = new("--backend")
    {
        Description = "Where durable state lives: memory (nothing survives the process) or azurestorage.",
        HelpName = "memory|azurestorage",
    };

    public Option<string?> StorageConnection { get; } = new("--storage-connection")
    {
        Description = "The Azure Storage connection string (UseDevelopmentStorage=true for Azurite); overrides DWF_STORAGE_CONNECTION.",
        HelpName = "S",
    };

    public Option<string?> TaskHub { get; } = new("--task-hub")
    {
        Description = "The task hub name (nodes sharing one split its work).",
        HelpName = "NAME",
    };

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Add(Backend);
        command.Add(StorageConnection);
        command.Add(TaskHub);
    }

    public Dictionary<string, string?> Read(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var overrides = new Dictionary<string, string?>(StringComparer.Ordinal);
        Set(overrides, "Backend", parse.GetValue(Backend));
        Set(overrides, "StorageConnection", parse.GetValue(StorageConnection));
        Set(overrides, "TaskHub", parse.GetValue(TaskHub));
        return overrides;
    }

    public static void Set(Dictionary<string, string?> overrides, string key, string? value)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        if (value is not null)
        {
            overrides[$"{DurableWorkflowsOptions.SectionName}:{key}"] = value;
        }
    }

    /// <summary>Starts the host; a port already in use is a usage error.</summary>
    public static async Task StartAsync(WebApplication app, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException e) when (e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
        {
            throw new UsageException(e.Message, e);
        }
    }

    /// <summary>Builds the host; a bad setting is a usage error.</summary>
    public static WebApplication Build(ServerRole role, Dictionary<string, string?> overrides)
    {
        try
        {
            return WorkflowHost.Build(role, overrides);
        }
        catch (OptionsValidationException e)
        {
            throw new UsageException(string.Join("; ", e.Failures), e);
        }
        catch (InvalidOperationException e) when (e.Message.Contains("URL", StringComparison.Ordinal) || e.Message.Contains("listen", StringComparison.Ordinal))
        {
            throw new UsageException(e.Message, e);
        }
    }
}
