using Microsoft.DurableTask.Worker.Hosting;

namespace DurableWorkflows.Server.Hosting;

/// <summary>
/// Stops the Durable Task worker before the web server: its work-item stream to the sidecar stays open until the
/// worker goes, and the server would otherwise wait the whole shutdown timeout for it.
/// </summary>
internal sealed class WorkerFirstShutdown(IServiceProvider services) : IHostedLifecycleService
{
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        foreach (DurableTaskWorker worker in services.GetServices<IHostedService>().OfType<DurableTaskWorker>())
        {
            await worker.StopAsync(cancellationToken);
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
