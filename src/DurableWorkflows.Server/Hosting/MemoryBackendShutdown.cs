using DurableWorkflows.Containers;
using DurableWorkflows.Core.Contracts;
using Microsoft.Extensions.Options;

namespace DurableWorkflows.Server.Hosting;

/// <summary>
/// On the memory backend, a server's workflows end with its process: none resumes to run its cleanup, and a task hub
/// of its own (the benchmarks', a test's) is never reaped by another server. Once the host has stopped (the worker
/// first), every container of its task hub is removed. Bounded by <see cref="Bound"/>, not by the host's shutdown timeout:
/// a hundred workflows' containers take Docker longer than that to remove.
/// </summary>
internal sealed class MemoryBackendShutdown(
    IOptions<DurableWorkflowsOptions> options, ContainerReaper reaper, ILogger<MemoryBackendShutdown> logger) : IHostedLifecycleService
{
    /// <summary>The longest the removal may take.</summary>
    public static TimeSpan Bound { get; set; } = TimeSpan.FromSeconds(60);

    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        if (options.Value.Backend != BackendNames.Memory)
        {
            return;
        }

        using var bound = new CancellationTokenSource(Bound);
        try
        {
            IReadOnlyList<ContainerFinalState> removed = await reaper.RemoveAllAsync(bound.Token);
            logger.LogInformation("The memory backend keeps no workflow past this process: removed its task hub's {Count} containers", removed.Count);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not remove every container of this task hub as the server stopped; a server started on the same task hub reaps them");
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
