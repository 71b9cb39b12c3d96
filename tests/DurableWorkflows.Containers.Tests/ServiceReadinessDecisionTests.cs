using Docker.DotNet.Models;
using DurableWorkflows.Core.Templates;
using Newtonsoft.Json;
using RestartPolicy = DurableWorkflows.Core.Templates.RestartPolicy;

namespace DurableWorkflows.Containers.Tests;

/// <summary>
/// The readiness decision on inspect results recorded from a real Docker engine (Fixtures/inspect: a container without
/// a health check, healthy, health still starting, unhealthy, restarting under on-failure, exited), no engine needed.
/// </summary>
public sealed class ServiceReadinessDecisionTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 21, 0, 0, TimeSpan.Zero);

    private static ContainerInspectResponse Recorded(string name) =>
        JsonConvert.DeserializeObject<ContainerInspectResponse>(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "inspect", name + ".json")))!;

    private static ServiceDefinition Svc(RestartPolicy? restart = null) =>
        new("db", "provisioner", "dwf-busybox:latest", new Dictionary<string, string>(), new Dictionary<string, string>(), [], null, null,
            restart ?? RestartPolicy.Default, TimeSpan.FromSeconds(30));

    private static ReadinessVerdict Decide(string recorded, DateTimeOffset? deadline = null, ServiceDefinition? service = null) =>
        ServiceReadinessDecision.Decide(Recorded(recorded), service ?? Svc(), deadline ?? Now.AddMinutes(1), Now);

    [Theory]
    [InlineData("plain")]
    [InlineData("healthy")]
    public void Running_NoHealthcheckOrHealthy_Ready(string recorded) => Assert.Equal(ReadinessVerdict.Ready, Decide(recorded));

    [Fact]
    public void HealthStarting_Pending() => Assert.Equal(ReadinessVerdict.Pending, Decide("starting"));

    [Fact]
    public void Restarting_PendingWhileDockerRestartsIt() => Assert.Equal(ReadinessVerdict.Pending, Decide("restarting"));

    [Fact]
    public void ExitedBeforeReady_FailedWithCodeAndRestartBudget()
    {
        ReadinessVerdict verdict = Decide("exited", service: Svc(new RestartPolicy(RestartMode.OnFailure, 3)));
        Assert.Equal(ReadinessOutcome.Failed, verdict.Outcome);
        Assert.Equal("service 'db' exited with code 7 before it was ready (restarts: 0 of 3)", verdict.Reason);
    }

    [Fact]
    public void ExitedBeforeReady_NoRestartPolicy_BudgetZero() =>
        Assert.EndsWith("(restarts: 0 of 0)", Decide("exited", service: Svc(new RestartPolicy(RestartMode.No, 0))).Reason, StringComparison.Ordinal);

    [Fact]
    public void UnhealthyStreak_FailedWithStreakAndLastCheck()
    {
        ReadinessVerdict verdict = Decide("unhealthy");
        Assert.Equal(ReadinessOutcome.Failed, verdict.Outcome);
        Assert.Equal("service 'db' turned unhealthy before it was ready (10 failed checks; last check exited 1: down)", verdict.Reason);
    }

    [Theory]
    [InlineData("starting", "state running, health starting, restarts 0")]
    [InlineData("restarting", "state restarting, restarts 6")]
    public void PastStartupDeadline_FailedSayingWhatItSaw(string recorded, string seen)
    {
        ReadinessVerdict verdict = Decide(recorded, deadline: Now);
        Assert.Equal(ReadinessOutcome.Failed, verdict.Outcome);
        Assert.Equal($"service 'db' was not ready within its startup_timeout of 30 s ({seen})", verdict.Reason);
    }

    [Fact]
    public void ReadyWinsOverThePassedDeadline() => Assert.Equal(ReadinessVerdict.Ready, Decide("healthy", deadline: Now.AddHours(-1)));

    [Fact]
    public void UnhealthyButRestarting_NotAFailure()
    {
        ContainerInspectResponse container = Recorded("unhealthy");
        container.State.Restarting = true;
        Assert.Equal(ReadinessVerdict.Pending, ServiceReadinessDecision.Decide(container, Svc(), Now.AddMinutes(1), Now));
    }
}
