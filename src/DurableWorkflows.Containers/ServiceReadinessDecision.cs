using Docker.DotNet.Models;
using DurableWorkflows.Core.Templates;

namespace DurableWorkflows.Containers;

/// <summary>What one look at a starting service's container says.</summary>
public enum ReadinessOutcome
{
    /// <summary>Running (and healthy when it has a health check): the service is ready.</summary>
    Ready,

    /// <summary>It will not get ready: exited for good, unhealthy while running, or past its startup deadline.</summary>
    Failed,

    /// <summary>Not yet: starting, restarting, or its health check has not passed yet.</summary>
    Pending,
}

/// <summary>The decision and, when it failed, why (its last output is added by the caller).</summary>
public sealed record ReadinessVerdict(ReadinessOutcome Outcome, string? Reason = null)
{
    public static ReadinessVerdict Ready { get; } = new(ReadinessOutcome.Ready);

    public static ReadinessVerdict Pending { get; } = new(ReadinessOutcome.Pending);
}

/// <summary>
/// The readiness decision on its own: an inspect result, the service and the time in, ready / failed / pending out.
/// Pure, so every outcome is tested on recorded inspect results.
/// </summary>
public static class ServiceReadinessDecision
{
    public static ReadinessVerdict Decide(ContainerInspectResponse container, ServiceDefinition service, DateTimeOffset deadline, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(container);
        ArgumentNullException.ThrowIfNull(service);
        var state = container.State;
        var health = state.Health?.Status;
        var restarts = (int)container.RestartCount;

        if (state.Running && !state.Restarting && (state.Health is null || health == "healthy"))
        {
            return ReadinessVerdict.Ready;
        }

        if (state.Status is "exited" or "dead" && !state.Restarting)
        {
            var max = service.Restart.Mode == RestartMode.OnFailure ? service.Restart.MaxRetries : 0;
            return new ReadinessVerdict(ReadinessOutcome.Failed,
                $"service '{service.Name}' exited with code {state.ExitCode} before it was ready " +
                $"(restarts: {restarts} of {max}){(string.IsNullOrEmpty(state.Error) ? "" : ": " + state.Error)}");
        }

        // Docker also marks a stopped or restarting container unhealthy; only a running one failing its checks counts here.
        if (health == "unhealthy" && state.Running && !state.Restarting)
        {
            var check = state.Health?.Log?.LastOrDefault();
            return new ReadinessVerdict(ReadinessOutcome.Failed,
                $"service '{service.Name}' turned unhealthy before it was ready ({state.Health?.FailingStreak} failed checks" +
                (check is null ? ")" : $"; last check exited {check.ExitCode}: {check.Output?.Trim()})"));
        }

        if (now >= deadline)
        {
            return new ReadinessVerdict(ReadinessOutcome.Failed,
                $"service '{service.Name}' was not ready within its startup_timeout of {service.StartupTimeout.TotalSeconds:0.###} s " +
                $"(state {state.Status}{(health is null ? "" : ", health " + health)}, restarts {restarts})");
        }

        return ReadinessVerdict.Pending;
    }
}
