using DurableWorkflows.Core.Contracts;
using DurableWorkflows.Testing;

namespace DurableWorkflows.Cli.Tests;

/// <summary><c>dwf run</c> as a process: its exit codes, <c>--json</c>, and Ctrl-C.</summary>
public sealed class RunCommandTests : IAsyncLifetime, IDisposable
{
    private readonly DockerFacts docker = new();

    public Task InitializeAsync() => docker.EnsureImagesAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => docker.Dispose();

    /// <summary>One task whose name is unique to the test (so Docker can find its containers by the task label) and one action.</summary>
    private static (string Template, string Task) OneAction(string command, int globalTimeout = 120)
    {
        string task = "cli-" + Guid.NewGuid().ToString("N")[..12];
        string template = $$"""
            version: "0.1"
            name: cli-test
            global_timeout: {{globalTimeout}}
            tasks:
              - name: {{task}}
                worker: local
                actions:
                  - name: only
                    image: dwf-busybox:latest
                    timeout: 600
                    command: ["sh", "-c", "{{command}}"]
            """;
        return (template, task);
    }

    [Theory(Timeout = 120_000)]
    [InlineData("echo provisioned", 120, 0, WorkflowState.SUCCESS)]
    [InlineData("echo broken disk; exit 3", 120, 1, WorkflowState.FAILED)]
    [InlineData("exec sleep 300", 3, 3, WorkflowState.TIMEOUT)]
    public async Task Run_WorkflowEnds_ExitCodeAndJsonStateMatch(string command, int globalTimeout, int exitCode, WorkflowState state)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(100));
        (string template, _) = OneAction(command, globalTimeout);
        using var dwf = DwfProcess.Run(template, "--json");

        int code = await dwf.WaitForExitAsync(cts.Token);

        Assert.True(code == exitCode, $"exit code {code}, expected {exitCode}; stderr:\n{dwf.Stderr}");
        (WorkflowState actual, string id, _) = dwf.ReadJson();
        Assert.Equal(state, actual);
        await docker.AssertNoContainerLeftAsync(id, cts.Token);
    }

    [Theory(Timeout = 120_000)]
    [InlineData(true, 0, WorkflowState.SUCCESS)]
    [InlineData(false, 1, WorkflowState.FAILED)]
    public async Task Run_WorkerIsTheHardwareMac_RunsOnTheRecordsEngineOrIsAnUnknownWorker(bool recordNamesEngine, int exitCode, WorkflowState state)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(100));
        string endpoint = Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } host ? host : "unix:///var/run/docker.sock";
        string record = Path.Combine(Path.GetTempPath(), $"dwf-hardware-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(record, $$$"""
            apiVersion: tinkerbell.org/v1alpha1
            kind: Hardware
            metadata:
              name: node1
              annotations:
                {{{(recordNamesEngine ? "durableworkflows.io/docker-endpoint" : "example.com/rack")}}}: "{{{endpoint}}}"
            spec:
              disks: [{device: /dev/sda}]
              interfaces: [{dhcp: {mac: "02:00:00:00:0e:01"}}]
            """);
        const string template = """
            version: "0.1"
            name: on-the-machine
            global_timeout: 60
            tasks:
              - name: provision
                worker: "{{ (index .Hardware.Interfaces 0).DHCP.MAC }}"
                actions:
                  - name: disk
                    image: dwf-busybox:latest
                    timeout: 30
                    command: ["echo", "{{ index .Hardware.Disks 0 }}"]
            """;
        try
        {
            // host.json maps no worker and refuses unknown ones: only the record can say where the MAC's actions run.
            using var dwf = DwfProcess.RunWith(
                new Dictionary<string, string> { ["DurableWorkflows:Docker:UnknownWorkers"] = "error" }, template, "--hardware", record, "--json");

            int code = await dwf.WaitForExitAsync(cts.Token);

            Assert.True(code == exitCode, $"exit code {code}, expected {exitCode}; stderr:\n{dwf.Stderr}");
            (WorkflowState actual, string id, _) = dwf.ReadJson();
            Assert.Equal(state, actual);
            if (!recordNamesEngine)
            {
                Assert.Contains("Worker '02:00:00:00:0e:01' has no Docker endpoint", dwf.Stderr, StringComparison.Ordinal);
            }

            await docker.AssertNoContainerLeftAsync(id, cts.Token);
        }
        finally
        {
            File.Delete(record);
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task Run_TemplatePastAConfiguredRenderLimit_ExitsTwoAtTheRange()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(50));
        const string template = """
            version: "0.1"
            name: limited
            global_timeout: 60
            tasks:
              - name: provision
                worker: local
                actions:
                  - name: a
                    image: dwf-busybox:latest
                    command: ["echo", "{{ range until 30 }}x{{ end }}"]
            """;
        using var dwf = DwfProcess.RunWith(new Dictionary<string, string> { ["DurableWorkflows:Templates:Limits:MaxIterations"] = "20" }, template, "--json");

        int code = await dwf.WaitForExitAsync(cts.Token);

        Assert.True(code == 2, $"exit code {code}; stderr:\n{dwf.Stderr}");
        Assert.True(dwf.Stderr.Contains("workflow.yaml:10:28: ", StringComparison.Ordinal), dwf.Stderr);
        Assert.Contains("over the limit of 20", dwf.Stderr, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task Run_InvalidTemplate_ExitsTwoWithLocatedErrors()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(50));
        const string template = """
            version: "0.1"
            name: invalid
            global_timeout: 60
            tasks:
              - name: provision
                worker: local
                actions:
                  - name: no-image
                    timeout: 10
            """;
        using var dwf = DwfProcess.Run(template, "--json");

        int code = await dwf.WaitForExitAsync(cts.Token);

        Assert.True(code == 2, $"exit code {code}; stderr:\n{dwf.Stderr}");
        Assert.Equal("", dwf.Stdout.Trim());
        Assert.Matches(@"workflow\.yaml:\d+:\d+: .*image", dwf.Stderr);
    }

    [Fact(Timeout = 120_000)]
    public async Task Run_CtrlCWhileActionRuns_CancelsGracefullyExitsFourNothingLeft()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(100));
        (string template, string task) = OneAction("echo sleeping; exec sleep 300", 600);
        using var dwf = DwfProcess.Run(template, "--json");

        // Docker's view: the action's container runs (found by the test's unique task label).
        string workflowId = await WaitRunningAsync(task, dwf, cts.Token);

        await InterruptedEndsCancelledAsync(dwf, workflowId, cts.Token);
    }

    [Fact(Timeout = 120_000)]
    public async Task Run_CtrlCAsItsServiceIsStartedAhead_ExitsFourNothingLeft()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(100));
        string service = "ahead-" + Guid.NewGuid().ToString("N")[..12];
        string template = $$"""
            version: "0.1"
            name: cli-ahead
            global_timeout: 120
            services:
              - name: {{service}}
                worker: local
                image: dwf-busybox:latest
                command: ["sleep", "300"]
            tasks:
              - name: only
                worker: local
                actions:
                  - name: only
                    image: dwf-busybox:latest
                    command: ["sh", "-c", "exec sleep 300"]
            """;
        using var dwf = DwfProcess.Run(template, "--json");

        // The service's container is there the moment dwf has prepared the template, while its host still starts:
        // the signal then comes before the workflow is scheduled (it is cancelled as soon as it is), or just after;
        // either way it ends CANCELLED and nothing of it is left.
        string workflowId = await WaitForContainerAsync($"{ContainerLabels.Service}={service}", running: false, dwf, cts.Token, pollMilliseconds: 10);

        await InterruptedEndsCancelledAsync(dwf, workflowId, cts.Token);
    }

    /// <summary>SIGINT to <paramref name="dwf"/>: it exits 4, its JSON says CANCELLED for the workflow, and no container of it is left.</summary>
    private async Task InterruptedEndsCancelledAsync(DwfProcess dwf, string workflowId, CancellationToken cancellationToken)
    {
        await dwf.InterruptAsync(cancellationToken);
        int code = await dwf.WaitForExitAsync(cancellationToken);

        Assert.True(code == 4, $"exit code {code}; stderr:\n{dwf.Stderr}");
        (WorkflowState state, string id, _) = dwf.ReadJson();
        Assert.Equal(WorkflowState.CANCELLED, state);
        Assert.Equal(workflowId, id);
        await docker.AssertNoContainerLeftAsync(workflowId, cancellationToken);
    }

    private Task<string> WaitRunningAsync(string task, DwfProcess dwf, CancellationToken cancellationToken) =>
        WaitForContainerAsync($"{ContainerLabels.Task}={task}", running: true, dwf, cancellationToken);

    /// <summary>The workflow id of the first container with <paramref name="label"/> (running, or in any state).</summary>
    private async Task<string> WaitForContainerAsync(string label, bool running, DwfProcess dwf, CancellationToken cancellationToken, int pollMilliseconds = 100)
    {
        var filter = new Dictionary<string, IDictionary<string, bool>>
        {
            ["label"] = new Dictionary<string, bool> { [label] = true },
        };
        if (running)
        {
            filter["status"] = new Dictionary<string, bool> { ["running"] = true };
        }

        try
        {
            while (true)
            {
                var found = await docker.Client.Containers.ListContainersAsync(new Docker.DotNet.Models.ContainersListParameters { All = true, Filters = filter }, cancellationToken);
                if (found.Count > 0)
                {
                    return found[0].Labels[ContainerLabels.WorkflowId];
                }

                await Task.Delay(pollMilliseconds, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"no container labelled {label}{(running ? " ran" : " was made")}; dwf stderr:\n{dwf.Stderr}");
            throw;
        }
    }
}
