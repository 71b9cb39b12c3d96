using DurableWorkflows.Core.Contracts;
using DurableWorkflows.EndToEnd.Tests.Infrastructure;
using DurableWorkflows.Server.Hosting;
using DurableWorkflows.Testing;

namespace DurableWorkflows.EndToEnd.Tests;

/// <summary>Workflow services on the real Docker engine, through the host <c>dwf run</c> uses.</summary>
public sealed class ServiceTests(WorkflowHostFixture host) : IClassFixture<WorkflowHostFixture>
{
    [Fact(Timeout = 120_000)]
    public async Task RunWorkflow_ServicesFeedActions_FirstActionStartsAfterEveryServiceIsHealthy()
    {
        // Two services serve files; the second gets healthy later (it sleeps first). The actions fetch from both,
        // hand the files on through /workflow, and the last one prints them.
        const string yaml = """
            version: "0.1"
            name: services-feed-actions
            global_timeout: 120
            services:
              - name: kernel server
                worker: local
                image: dwf-busybox:latest
                command: ["sh", "-c", "mkdir -p /www && echo kernel-bytes > /www/kernel && exec httpd -f -p 127.0.0.1:{{.kernel_port}} -h /www"]
                healthcheck:
                  test: ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:{{.kernel_port}}/kernel"]
                  interval: 200ms
                  retries: 100
                restart: "no"
              - name: slow config server
                worker: local
                image: dwf-busybox:latest
                command: ["sh", "-c", "sleep 2; mkdir -p /www && echo config-bytes > /www/config && exec httpd -f -p 127.0.0.1:{{.config_port}} -h /www"]
                healthcheck:
                  test: ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:{{.config_port}}/config"]
                  interval: 200ms
                  retries: 100
                restart: "no"
            tasks:
              - name: provision
                worker: local
                actions:
                  - name: fetch-kernel
                    image: dwf-busybox:latest
                    timeout: 30
                    command: ["sh", "-c", "wget -q -O /workflow/kernel http://127.0.0.1:{{.kernel_port}}/kernel"]
                  - name: fetch-config
                    image: dwf-busybox:latest
                    timeout: 30
                    command: ["sh", "-c", "wget -q -O /workflow/config http://127.0.0.1:{{.config_port}}/config"]
                  - name: combine
                    image: dwf-busybox:latest
                    timeout: 30
                    command: ["sh", "-c", "cat /workflow/kernel /workflow/config"]
            """;
        await using var run = new WorkflowTestRun(host, yaml, new Dictionary<string, string>
        {
            ["kernel_port"] = FreePort.Find().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["config_port"] = FreePort.Find().ToString(System.Globalization.CultureInfo.InvariantCulture),
        });

        WorkflowStatus status = await run.RunAsync();

        Assert.True(status.State == WorkflowState.SUCCESS, status.Message);
        Assert.All(status.Services, s => Assert.Equal("healthy", s.Health));
        Assert.Equal(["kernel-bytes", "config-bytes"], status.Action("provision", "combine")!.LogTail);
        await run.AssertNothingLeftAsync();

        // Ordering, by Docker's own clock: every service reported "health_status: healthy" before the first action
        // container started. The events were recorded while the containers lived; the cleanup removed them since.
        IReadOnlyList<DockerEvent> healthy = run.EventsOf("service", "health_status: healthy");
        IReadOnlyList<DockerEvent> actionStarts = run.EventsOf("action", "start");
        Assert.Equal(["kernel server", "slow config server"], healthy.Select(e => e.Service).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(3, actionStarts.Count);
        long lastServiceHealthy = healthy.GroupBy(e => e.Service).Max(g => g.Min(e => e.TimeNano));
        long firstActionStart = actionStarts.Min(e => e.TimeNano);
        Assert.True(
            lastServiceHealthy < firstActionStart,
            $"the first action started at {firstActionStart} ns, before the last service was healthy at {lastServiceHealthy} ns");
    }

    [Fact(Timeout = 120_000)]
    public async Task RunWorkflow_ServiceExitsBeforeReady_FailsFastWithItsLogsAndNoActionRuns()
    {
        // startup_timeout is far longer than the test may take: the workflow must fail on the exit, not on the timeout.
        const string yaml = """
            version: "0.1"
            name: service-exits-early
            global_timeout: 600
            services:
              - name: broken server
                worker: local
                image: dwf-busybox:latest
                command: ["sh", "-c", "echo reading the configuration; echo 'fatal: no such file /etc/server.conf' >&2; exit 7"]
                healthcheck:
                  test: ["CMD", "true"]
                  interval: 200ms
                restart: "no"
                startup_timeout: 300s
            tasks:
              - name: provision
                worker: local
                actions:
                  - name: never-runs
                    image: dwf-busybox:latest
                    timeout: 30
                    command: ["sh", "-c", "echo should not run"]
            """;
        await using var run = new WorkflowTestRun(host, yaml, timeoutSeconds: 60);

        WorkflowStatus status = await run.RunAsync();

        Assert.Equal(WorkflowState.FAILED, status.State);
        Assert.Contains("broken server", status.Message, StringComparison.Ordinal);
        Assert.Contains("fatal: no such file /etc/server.conf", status.Message, StringComparison.Ordinal);
        ServiceStatus service = Assert.Single(status.Services);
        Assert.Equal(ServiceState.FAILED, service.State);
        Assert.Contains("exited with code 7", service.Reason, StringComparison.Ordinal);
        Assert.Contains("reading the configuration", service.LogTail);
        Assert.Contains("fatal: no such file /etc/server.conf", service.LogTail);
        Assert.Equal(ActionState.SKIPPED, status.Action("provision", "never-runs")!.State);
        await run.AssertNothingLeftAsync();
        // The first action's container was prepared while the service started (created, then removed), never started.
        Assert.DoesNotContain(run.DockerEvents.Events, e => e.Role != "service" && e.Kind is not ("create" or "destroy"));
    }

    [Fact(Timeout = 120_000)]
    public async Task RunWorkflow_ServiceDiesMidRun_WorkflowSucceedsAndExitIsRecorded()
    {
        // The first action runs until the service stops answering; the test kills the service with Docker meanwhile.
        const string yaml = """
            version: "0.1"
            name: service-dies-mid-run
            global_timeout: 120
            services:
              - name: short lived
                worker: local
                image: dwf-busybox:latest
                command: ["sh", "-c", "mkdir -p /www && echo up > /www/up && exec httpd -f -p 127.0.0.1:{{.port}} -h /www"]
                healthcheck:
                  test: ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:{{.port}}/up"]
                  interval: 200ms
                  retries: 100
                restart: "no"
            tasks:
              - name: provision
                worker: local
                actions:
                  - name: outlive-service
                    image: dwf-busybox:latest
                    timeout: 60
                    command: ["sh", "-c", "while wget -q -O /dev/null http://127.0.0.1:{{.port}}/up 2>/dev/null; do sleep 0.2; done; echo service gone"]
                  - name: needs-no-service
                    image: dwf-busybox:latest
                    timeout: 30
                    command: ["sh", "-c", "echo still fine"]
            """;
        await using var run = new WorkflowTestRun(host, yaml, new Dictionary<string, string>
        {
            ["port"] = FreePort.Find().ToString(System.Globalization.CultureInfo.InvariantCulture),
        });

        await run.StartAsync();
        await run.WaitActionRunningAsync("provision", "outlive-service");
        var service = Assert.Single(await host.Docker.ContainersOfAsync(run.WorkflowId, run.Token), c => c.Labels[ContainerLabels.Role] == "service");
        await host.Docker.Client.Containers.KillContainerAsync(service.ID, new Docker.DotNet.Models.ContainerKillParameters { Signal = "KILL" }, run.Token);
        WorkflowStatus status = await run.WaitFinishedAsync();

        Assert.True(status.State == WorkflowState.SUCCESS, status.Message);
        Assert.Equal(["service gone"], status.Action("provision", "outlive-service")!.LogTail);
        Assert.Equal(ActionState.SUCCESS, status.Action("provision", "needs-no-service")!.State);
        ServiceStatus recorded = Assert.Single(status.Services);
        Assert.Equal(137, recorded.ExitCode);
        Assert.Contains("exited with code 137", recorded.Reason, StringComparison.Ordinal);
        Assert.Contains(status.Events, e => e.Kind == WorkflowEventKind.ServiceExited && e.Service == "short lived");
        await run.AssertNothingLeftAsync();
    }
}
