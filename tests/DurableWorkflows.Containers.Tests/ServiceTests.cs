using DurableWorkflows.Core.Contracts;
using DurableWorkflows.Core.Templates;

namespace DurableWorkflows.Containers.Tests;

public sealed class ServiceTests : DockerTestBase
{
    [Fact(Timeout = 60_000)]
    public async Task AwaitServiceHealthy_ServiceHealthyAfterDelay_ReadyAndServing()
    {
        var wf = NewWorkflowId();
        var port = FreePort();
        var service = Service(
            "web",
            ["sh", "-c", $"echo warming-up; sleep 1; mkdir -p /www; echo hello-from-web > /www/index.html; exec httpd -f -p 127.0.0.1:{port} -h /www"],
            Health($"wget -q -O /dev/null http://127.0.0.1:{port}/ || exit 1", retries: 50),
            labels: new Dictionary<string, string> { ["team"] = "provisioning" });

        var started = await Engine.StartServiceAsync(new StartServiceInput(wf, service), Ct);
        var readiness = await AwaitServiceAsync(wf, service, started.ContainerId);

        Assert.True(readiness.Ready, readiness.Reason);
        Assert.Equal("healthy", readiness.Health);
        Assert.Equal(0, readiness.Restarts);
        using var http = new HttpClient();
        Assert.Equal("hello-from-web\n", await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/"), Ct));

        var container = await Engine.Endpoints.Default.Client.Containers.InspectContainerAsync(started.ContainerId, Ct);
        Assert.Equal(wf, container.Config.Labels[ContainerLabels.WorkflowId]);
        Assert.Equal("service", container.Config.Labels[ContainerLabels.Role]);
        Assert.Equal("web", container.Config.Labels[ContainerLabels.Service]);
        Assert.Equal(TestTaskHub, container.Config.Labels[ContainerLabels.TaskHub]);
        Assert.Equal("provisioning", container.Config.Labels["team"]);
        Assert.Equal("host", container.HostConfig.NetworkMode);
        Assert.True(container.HostConfig.Init);
        Assert.Equal(Docker.DotNet.Models.RestartPolicyKind.No, container.HostConfig.RestartPolicy.Name);
        Assert.Equal(ContainerNames.Service(wf, "web"), started.ContainerName);
    }

    [Fact(Timeout = 60_000)]
    public async Task AwaitServiceHealthy_ImageHealthcheck_ReadyWhenImageSaysHealthy()
    {
        var wf = NewWorkflowId();
        var service = Service("from-image", null, image: DockerFixture.HealthcheckImage);

        var started = await Engine.StartServiceAsync(new StartServiceInput(wf, service), Ct);
        var readiness = await AwaitServiceAsync(wf, service, started.ContainerId);

        Assert.True(readiness.Ready, readiness.Reason);
        Assert.Equal("healthy", readiness.Health);
        var container = await Engine.Endpoints.Default.Client.Containers.InspectContainerAsync(started.ContainerId, Ct);
        Assert.Equal(["CMD", "/bin/test", "-f", "/tmp/ready"], container.Config.Healthcheck.Test);
    }

    [Fact(Timeout = 60_000)]
    public async Task AwaitServiceHealthy_TemplateDisablesImageHealthcheck_ReadyWhenRunning()
    {
        var wf = NewWorkflowId();
        var service = Service(
            "no-check",
            null,
            new HealthcheckDefinition(null, null, null, null, null, Disable: true),
            image: DockerFixture.HealthcheckImage);

        var started = await Engine.StartServiceAsync(new StartServiceInput(wf, service), Ct);
        var readiness = await AwaitServiceAsync(wf, service, started.ContainerId);

        Assert.True(readiness.Ready, readiness.Reason);
        Assert.Null(readiness.Health);
        Assert.Equal("running", readiness.State);
    }

    [Fact(Timeout = 60_000)]
    public async Task StartService_CalledTwice_FindsTheSameContainer()
    {
        var wf = NewWorkflowId();
        var service = Service("idle", ["sleep", "300"]);

        var first = await Engine.StartServiceAsync(new StartServiceInput(wf, service), Ct);
        var second = await Engine.StartServiceAsync(new StartServiceInput(wf, service), Ct);

        Assert.Equal(first.ContainerId, second.ContainerId);
        Assert.Single(await ContainersOfAsync(wf));
    }

    [Fact(Timeout = 60_000)]
    public async Task AwaitServiceHealthy_NoHealthcheck_ReadyWhenRunning()
    {
        var wf = NewWorkflowId();
        var service = Service("idle", ["sleep", "300"]);

        var started = await Engine.StartServiceAsync(new StartServiceInput(wf, service), Ct);
        var readiness = await AwaitServiceAsync(wf, service, started.ContainerId);

        Assert.True(readiness.Ready, readiness.Reason);
        Assert.Null(readiness.Health);
        Assert.Equal("running", readiness.State);
    }

    [Fact(Timeout = 60_000)]
    public async Task AwaitServiceHealthy_ExitsBeforeReady_FailsWithExitCodeAndLogs()
    {
        var wf = NewWorkflowId();
        var service = Service(
            "broken",
            ["sh", "-c", "echo starting-up; echo 'fatal: bad config' >&2; exit 3"],
            Health("exit 1", retries: 1000),
            startupTimeout: TimeSpan.FromMinutes(5));

        var started = await Engine.StartServiceAsync(new StartServiceInput(wf, service), Ct);
        var readiness = await AwaitServiceAsync(wf, service, started.ContainerId);

        Assert.False(readiness.Ready);
        Assert.False(readiness.Pending);
        Assert.Contains("exited with code 3", readiness.Reason, StringComparison.Ordinal);
        Assert.Contains("fatal: bad config", readiness.Reason, StringComparison.Ordinal);
        Assert.Contains("starting-up", readiness.LogTail);
        Assert.Contains("fatal: bad config", readiness.LogTail);
    }

    [Fact(Timeout = 60_000)]
    public async Task AwaitServiceHealthy_TurnsUnhealthy_FailsWithCheckOutputAndLogs()
    {
        var wf = NewWorkflowId();
        var service = Service(
            "sick",
            ["sh", "-c", "echo db-locked; exec sleep 300"],
            Health("echo check-says-no; exit 1", retries: 2),
            startupTimeout: TimeSpan.FromMinutes(5));

        var started = await Engine.StartServiceAsync(new StartServiceInput(wf, service), Ct);
        var readiness = await AwaitServiceAsync(wf, service, started.ContainerId);

        Assert.False(readiness.Ready);
        Assert.False(readiness.Pending);
        Assert.Equal("unhealthy", readiness.Health);
        Assert.Contains("turned unhealthy", readiness.Reason, StringComparison.Ordinal);
        Assert.Contains("check-says-no", readiness.Reason, StringComparison.Ordinal);
        Assert.Contains("db-locked", readiness.LogTail);
    }

    [Fact(Timeout = 60_000)]
    public async Task AwaitServiceHealthy_NeverHealthy_FailsAtStartupTimeout()
    {
        var wf = NewWorkflowId();
        var service = Service(
            "slow",
            ["sh", "-c", "echo still-loading; exec sleep 300"],
            Health("exit 1", retries: 100_000),
            startupTimeout: TimeSpan.FromSeconds(2));

        var started = await Engine.StartServiceAsync(new StartServiceInput(wf, service), Ct);
        var readiness = await AwaitServiceAsync(wf, service, started.ContainerId);

        Assert.False(readiness.Ready);
        Assert.False(readiness.Pending);
        Assert.Contains("startup_timeout", readiness.Reason, StringComparison.Ordinal);
        Assert.Contains("still-loading", readiness.LogTail);
    }

    [Fact(Timeout = 60_000)]
    public async Task AwaitServiceHealthy_MaxWaitShorterThanStartup_ReturnsPending()
    {
        var wf = NewWorkflowId();
        var service = Service("slow", ["sleep", "300"], Health("exit 1", retries: 100_000), startupTimeout: TimeSpan.FromMinutes(5));

        var started = await Engine.StartServiceAsync(new StartServiceInput(wf, service), Ct);
        var readiness = await Engine.AwaitServiceHealthyAsync(
            new AwaitServiceHealthyInput(wf, service, started.ContainerId, MaxWait: TimeSpan.FromMilliseconds(300)), Ct);

        Assert.True(readiness.Pending);
        Assert.False(readiness.Ready);
        Assert.Null(readiness.Reason);
    }

    [Fact(Timeout = 60_000)]
    public async Task AwaitServiceHealthy_ErrorExitThenHealthy_RestartCounted()
    {
        var wf = NewWorkflowId();
        var service = Service(
            "flaky",
            ["sh", "-c", "if [ -f /tmp/crashed ]; then touch /tmp/ready; exec sleep 300; fi; touch /tmp/crashed; echo crashing; exit 1"],
            Health("test -f /tmp/ready", retries: 1000),
            RestartPolicy.Default);

        var started = await Engine.StartServiceAsync(new StartServiceInput(wf, service), Ct);
        var readiness = await AwaitServiceAsync(wf, service, started.ContainerId);

        Assert.True(readiness.Ready, readiness.Reason);
        Assert.Equal(1, readiness.Restarts);
        var container = await Engine.Endpoints.Default.Client.Containers.InspectContainerAsync(started.ContainerId, Ct);
        Assert.Equal(Docker.DotNet.Models.RestartPolicyKind.OnFailure, container.HostConfig.RestartPolicy.Name);
        Assert.Equal(3, container.HostConfig.RestartPolicy.MaximumRetryCount);

        var observed = Assert.Single(await Engine.InspectServicesAsync(new InspectServicesInput(wf, []), Ct));
        Assert.Equal("flaky", observed.ServiceName);
        Assert.Equal(DockerStatus.Running, observed.State);
        Assert.Equal(1, observed.Restarts);
    }

    [Fact(Timeout = 60_000)]
    public async Task AwaitServiceHealthy_RestartsSpent_FailsWithRestartCount()
    {
        var wf = NewWorkflowId();
        var service = Service(
            "crashloop",
            ["sh", "-c", "echo crash; exit 2"],
            Health("exit 0", retries: 1000),
            new RestartPolicy(RestartMode.OnFailure, 2));

        var started = await Engine.StartServiceAsync(new StartServiceInput(wf, service), Ct);
        var readiness = await AwaitServiceAsync(wf, service, started.ContainerId);

        Assert.False(readiness.Ready);
        Assert.Equal(2, readiness.Restarts);
        Assert.Contains("exited with code 2", readiness.Reason, StringComparison.Ordinal);
        Assert.Contains("restarts: 2 of 2", readiness.Reason, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task StartService_ImageMissingWithIfMissing_ClearErrorNamingImage()
    {
        var wf = NewWorkflowId();
        var image = $"dwf-no-such-image-{Guid.NewGuid():N}:latest";
        var service = Service("ghost", ["sleep", "1"], image: image);

        var error = await Assert.ThrowsAsync<ContainerEngineException>(() => Engine.StartServiceAsync(new StartServiceInput(wf, service), Ct));

        Assert.Contains(image, error.Message, StringComparison.Ordinal);
        Assert.Contains("could not be pulled", error.Message, StringComparison.Ordinal);
        Assert.Empty(await ContainersOfAsync(wf));
    }

    [Fact(Timeout = 60_000)]
    public async Task StartService_ImageMissingWithPullNever_ClearErrorNamingImage()
    {
        var wf = NewWorkflowId();
        var engine = NewEngine(o => o.PullPolicy = PullPolicies.Never);
        var image = $"dwf-no-such-image-{Guid.NewGuid():N}:latest";

        var error = await Assert.ThrowsAsync<ContainerEngineException>(
            () => engine.StartServiceAsync(new StartServiceInput(wf, Service("ghost", ["sleep", "1"], image: image)), Ct));

        Assert.Contains(image, error.Message, StringComparison.Ordinal);
        Assert.Contains("'never'", error.Message, StringComparison.Ordinal);
    }
}
