using DurableWorkflows.Core.Contracts;
using DurableWorkflows.Core.Telemetry;
using Microsoft.DurableTask.Client;

namespace DurableWorkflows.Server.Workflows;

/// <summary>
/// Counts the task hub's pending and running workflows every <see cref="Period"/> for <c>dwf.workflows.running</c>
/// (read from the durable store, so it is right after a restart and the same on every node: take the max, not the
/// sum). A count that fails keeps the last one.
/// </summary>
internal sealed class RunningWorkflowsCount(DurableTaskClient client, IHostApplicationLifetime lifetime, ILogger<RunningWorkflowsCount> logger) : BackgroundService
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(15);

    private long? count;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        DwfTelemetry.RunningWorkflows = () => count;
        // Not before the sidecar listens: a refused first connection would hold the shared channel in its reconnect
        // back-off, and the API's own calls with it.
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
        {
            await started.Task;
        }

        using var timer = new PeriodicTimer(Period);
        do
        {
            try
            {
                count = await CountAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogDebug(e, "Counting the running workflows failed; the last count stands");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task<long> CountAsync(CancellationToken cancellationToken)
    {
        var query = new OrchestrationQuery
        {
            Statuses = [OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Suspended],
            PageSize = 500,
            FetchInputsAndOutputs = false,
        };
        long n = 0;
        await foreach (OrchestrationMetadata instance in client.GetAllInstancesAsync(query).WithCancellation(cancellationToken))
        {
            if (instance.Name == OrchestrationNames.Workflow)
            {
                n++;
            }
        }

        return n;
    }
}
