using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DurableWorkflows.Containers;

/// <summary>Runs the <see cref="ContainerReaper"/> at start and then every ReaperPeriodSeconds.</summary>
public sealed class ContainerReaperService : BackgroundService
{
    private readonly ContainerReaper _reaper;
    private readonly DockerOptions _options;
    private readonly ILogger<ContainerReaperService> _logger;

    public ContainerReaperService(ContainerReaper reaper, IOptions<DockerOptions> options, ILogger<ContainerReaperService> logger)
    {
        _reaper = reaper;
        _options = options.Value;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
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
