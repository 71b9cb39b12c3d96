
namespace DurableWorkflows.Server.Hosting;

/// <summary>A host lifetime that leaves Ctrl-C to the caller (<c>dwf run</c> turns it into a graceful cancel).</summary>
internal sealed class NoSignalLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
