using DurableWorkflows.Server.Backends;

namespace DurableWorkflows.Server.Hosting;

/// <summary>Creates the task hub (queues, tables) before anything uses it.</summary>
internal sealed class BackendLifetime(ConcurrencyLimitedOrchestrationService backend) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => backend.CreateIfNotExistsAsync().WaitAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
