using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DurableWorkflows.Containers;

/// <summary>
/// Runs the <see cref="ContainerReaper"/> once the host has started and then every ReaperPeriodSeconds. Not before: the
/// reaper asks the Durable Task client, and a call made before the sidecar listens is refused and puts the client's
/// connection into its reconnect backoff, failing every API call for seconds after the start.
/// </summary>
public sealed class ContainerReaperService : BackgroundService
{
    private readonly ContainerReaper _reaper;
    private readonly DockerOptions _options;
    private readonly ILogger<ContainerReaperService> _logger;
    private readonly IHostApplicationLifetime? _lifetime;

    public ContainerReaperService(
        ContainerReaper reaper,
        IOptions<DockerOptions> options,
        ILogger<ContainerReaperService> logger,
        IHostApplicationLifetime? lifetime = null)
    {
        _reaper = reaper;
        _options = options.Value;
        _logger = logger;
        _lifetime = lifetime;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_lifetime is not null && !await StartedAsync(_lifetime, stoppingToken))
        {
            return;
        }

        using var timer = new PeriodicTimer(_options.ReaperPeriod);
        do
        {
            try
            {
                await _reaper.ReapAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                Log.ReaperFailed(_logger, e);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    /// <summary>True once the host has started; false when it stops first.</summary>
    private static async Task<bool> StartedAsync(IHostApplicationLifetime lifetime, CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
        {
            try
            {
                await started.Task;
                return true;
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
