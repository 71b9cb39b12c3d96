using System.Text.Json;

namespace DurableWorkflows.Agents.Tests;

/// <summary>
/// Workflows whose tasks agents run: a real <c>dwf serve</c> with its agent endpoint, real <c>dwf agent</c> processes
/// pulling their actions with Tinkerbell's protocol, real containers; services on the provisioner's engine.
/// </summary>
public sealed class AgentWorkflowTests(AgentServer server) : IClassFixture<AgentServer>
{
    private static CancellationTokenSource Bound() => new(TimeSpan.FromSeconds(100));

    private static int NewPort() => DwfProcessRun.FreePort();

    private static JsonElement Action(JsonElement status, string task, string action) =>
        status.GetProperty("tasks").EnumerateArray().First(t => t.GetProperty("name").GetString() == task)
            .GetProperty("actions").EnumerateArray().First(a => a.GetProperty("name").GetString() == action);

    private async Task<string> LogAsync(string id, string task, string action, CancellationToken cancellationToken)
    {
        using JsonDocument logs = JsonDocument.Parse(await server.Http.GetStringAsync($"/api/workflows/{id}/logs?task={task}&action={action}", cancellationToken));
        return string.Join("", logs.RootElement.EnumerateArray().Select(l => l.GetProperty("text").GetString()));
    }

    [Fact(Timeout = 120_000)]
    public async Task TwoAgents_ServiceOnTheProvisioner_TwoTasksOnTwoMachines_Succeed()
    {
        using CancellationTokenSource cts = Bound();
        string first = AgentServer.NewMac(), second = AgentServer.NewMac();
        int port = NewPort();
        await server.StartAgentAsync(first, cts.Token);
        DwfProcessRun secondAgent = await server.StartAgentAsync(second, cts.Token);
        string id = await server.StartAsync($$"""
            version: "0.1"
            name: two-machines
            global_timeout: 90
            services:
              - name: files
                worker: provisioner
                image: dwf-busybox:latest
                command: ["sh", "-c", "mkdir -p /srv && echo boot-image > /srv/boot.txt && exec httpd -f -p 127.0.0.1:{{port}} -h /srv"]
                healthcheck:
                  test: ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:{{port}}/boot.txt"]
                  interval: 200ms
                  retries: 20
            tasks:
              - name: install
                worker: "{{first}}"
                environment: {STAGE: install}
                actions:
                  - name: fetch
                    image: dwf-busybox:latest
                    timeout: 30
                    command: ["sh", "-c", "wget -q -O /workflow/boot.txt http://127.0.0.1:{{port}}/boot.txt && cat /workflow/boot.txt && echo stage=$STAGE"]
                  - name: verify
                    image: dwf-busybox:latest
                    timeout: 30
                    command: ["grep", "boot-image", "/workflow/boot.txt"]
              - name: report
                worker: "{{second}}"
                actions:
                  - name: hello
                    image: dwf-busybox:latest
                    timeout: 30
                    command: ["sh", "-c", "echo report from second"]
            """, cts.Token);

        using JsonDocument final = await server.WaitForStateAsync(id, "SUCCESS", cts.Token);
        JsonElement status = final.RootElement;
        Assert.Equal(first, Action(status, "install", "fetch").GetProperty("agent").GetString());
        Assert.Equal(second, Action(status, "report", "hello").GetProperty("agent").GetString());
        Assert.Equal("REMOVED", status.GetProperty("services")[0].GetProperty("state").GetString());
        DateTimeOffset ready = status.GetProperty("services")[0].GetProperty("readyAt").GetDateTimeOffset();
        Assert.True(ready <= Action(status, "install", "fetch").GetProperty("startedAt").GetDateTimeOffset(), "the service was ready before the first action");
        Assert.Equal("boot-image\nstage=install\n", await LogAsync(id, "install", "fetch", cts.Token));
        Assert.Equal("report from second\n", await LogAsync(id, "report", "hello", cts.Token));
        Assert.Contains(status.GetProperty("events").EnumerateArray(), e => e.GetProperty("message").GetString() == $"started on agent {second}");
        await server.WaitNoContainersAsync(id, cts.Token);

        // The server's metrics: both agents connected, their calls counted by protocol, the workflow counted once.
        string metrics = await server.Http.GetStringAsync("/metrics", cts.Token);
        Assert.True(Metric(metrics, "dwf_agents_connected") >= 2, metrics);
        Assert.Contains("\ndwf_workflows_running{", metrics, StringComparison.Ordinal);
        Assert.True(Metric(metrics, "dwf_agent_calls_total", "protocol=\"tink-agent\"", "method=\"/proto.WorkflowService/GetAction\"", "status=\"OK\"") >= 3, metrics);
        Assert.Equal(1, Metric(metrics, "dwf_workflows_finished_total", "template=\"two-machines\"", "state=\"success\""));
        Assert.Equal(3, Metric(metrics, "dwf_action_duration_seconds_count", "template=\"two-machines\"", "outcome=\"success\""));

        // SIGTERM ends an agent cleanly.
        Assert.Equal(0, await secondAgent.TerminateAsync(cts.Token));
        Assert.Contains("stopped", secondAgent.Output, StringComparison.Ordinal);
    }

    [Fact(Timeout = 120_000)]
    public async Task FailingAction_ItsOnFailureRunsOnTheAgent_WorkflowFails()
    {
        using CancellationTokenSource cts = Bound();
        string mac = AgentServer.NewMac();
        await server.StartAgentAsync(mac, cts.Token);
        string id = await server.StartAsync($$"""
            version: "0.1"
            name: agent-fails
            global_timeout: 60
            tasks:
              - name: disk
                worker: "{{mac}}"
                actions:
                  - name: wipe
                    image: dwf-busybox:latest
                    timeout: 30
                    command: ["sh", "-c", "echo wiping; exit 3"]
                    on-failure: ["sh", "-c", "echo rescued"]
                  - name: never
                    image: dwf-busybox:latest
                    command: ["true"]
            """, cts.Token);

        using JsonDocument final = await server.WaitForStateAsync(id, "FAILED", cts.Token);
        JsonElement wipe = Action(final.RootElement, "disk", "wipe");
        Assert.Equal($"failed on agent {mac}: exited with code 3", wipe.GetProperty("message").GetString());
        Assert.Equal("SUCCESS", wipe.GetProperty("handler").GetProperty("state").GetString());
        Assert.Equal("SKIPPED", Action(final.RootElement, "disk", "never").GetProperty("state").GetString());
        Assert.Equal("wiping\nrescued\n", await LogAsync(id, "disk", "wipe", cts.Token));
        await server.WaitNoContainersAsync(id, cts.Token);
    }

    [Theory(Timeout = 120_000)]
    [InlineData("cancel")]
    [InlineData("global-timeout")]
    public async Task RunningAction_WorkflowCancelledOrTimedOut_TheAgentStopsItsContainer(string how)
    {
        using CancellationTokenSource cts = Bound();
        string mac = AgentServer.NewMac();
        await server.StartAgentAsync(mac, cts.Token);
        string id = await server.StartAsync($$"""
            version: "0.1"
            name: agent-stopped
            global_timeout: {{(how == "cancel" ? 90 : 6)}}
            tasks:
              - name: long
                worker: "{{mac}}"
                actions:
                  - name: sleep
                    image: dwf-busybox:latest
                    timeout: 80
                    command: ["sleep", "300"]
            """, cts.Token);
        await server.WaitStartedOnAgentAsync(id, mac, cts.Token);

        // The agent reports RUNNING as it starts the container: wait for the container itself.
        while ((await server.ContainersOfAsync(id, cts.Token)).Count == 0)
        {
            await Task.Delay(100, cts.Token);
        }

        if (how == "cancel")
        {
            using HttpResponseMessage cancel = await server.Http.PostAsync($"/api/workflows/{id}/cancel", null, cts.Token);
            Assert.True(cancel.IsSuccessStatusCode);
        }

        using JsonDocument final = await server.WaitForStateAsync(id, how == "cancel" ? "CANCELLED" : "TIMEOUT", cts.Token);
        Assert.False(final.RootElement.TryGetProperty("offer", out _));
        // The agent's next RUNNING is refused (the action is not current any more): it stops the container.
        await server.WaitNoContainersAsync(id, cts.Token);
    }

    [Fact(Timeout = 120_000)]
    public async Task AgentKilledMidAction_StartedAgain_TakesTheResultWithoutRunningItAgain()
    {
        using CancellationTokenSource cts = Bound();
        string mac = AgentServer.NewMac();
        DwfProcessRun agent = await server.StartAgentAsync(mac, cts.Token);
        string id = await server.StartAsync($$"""
            version: "0.1"
            name: agent-restart
            global_timeout: 90
            tasks:
              - name: flash
                worker: "{{mac}}"
                actions:
                  - name: once
                    image: dwf-busybox:latest
                    timeout: 60
                    command: ["sh", "-c", "echo ran >> /workflow/runs; sleep 5; echo done"]
            """, cts.Token);
        await server.WaitStartedOnAgentAsync(id, mac, cts.Token);

        await Task.Delay(1000, cts.Token);
        agent.Kill();
        await server.StartAgentAsync(mac, cts.Token);

        using JsonDocument final = await server.WaitForStateAsync(id, "SUCCESS", cts.Token);
        Assert.Equal("ran\n", await File.ReadAllTextAsync(Path.Combine(server.AgentDirectory(mac), "workflows", id, "runs"), cts.Token));
        Assert.Equal("done\n", await LogAsync(id, "flash", "once", cts.Token));
        await server.WaitNoContainersAsync(id, cts.Token);
    }

    [Fact(Timeout = 120_000)]
    public async Task AgentGoneLongerThanItsActionsTimeout_ActionTimesOut_ItsLateResultIsRefusedAndTheContainerRemoved()
    {
        using CancellationTokenSource cts = Bound();
        string mac = AgentServer.NewMac();
        DwfProcessRun agent = await server.StartAgentAsync(mac, cts.Token);
        string id = await server.StartAsync($$"""
            version: "0.1"
            name: agent-gone
            global_timeout: 90
            tasks:
              - name: flash
                worker: "{{mac}}"
                actions:
                  - name: slow
                    image: dwf-busybox:latest
                    timeout: 2
                    command: ["sh", "-c", "sleep 8; echo late"]
            """, cts.Token);
        while ((await server.ContainersOfAsync(id, cts.Token)).Count == 0)
        {
            await Task.Delay(100, cts.Token);
        }

        agent.Kill();

        using JsonDocument final = await server.WaitForStateAsync(id, "TIMEOUT", cts.Token);
        Assert.Equal($"agent {mac} reported no end within the timeout of 2 s (and 2 s of grace)", Action(final.RootElement, "flash", "slow").GetProperty("message").GetString());

        // Nothing is left (here the workflow's cleanup removes it: the test agent shares the server's engine; on a machine of
        // its own, the agent started again sweeps it, its RUNNING refused); the agent back changes nothing.
        await server.WaitNoContainersAsync(id, cts.Token);
        await server.StartAgentAsync(mac, cts.Token);
        await Task.Delay(1000, cts.Token);
        using JsonDocument after = await server.StatusAsync(id, cts.Token);
        Assert.Equal("TIMEOUT", after.RootElement.GetProperty("state").GetString());
    }

    /// <summary>The sum of a metric's samples in Prometheus' text format whose labels include each of <paramref name="labels"/>.</summary>
    private static double Metric(string text, string name, params string[] labels) => text.Split('\n')
        .Where(l => (l.StartsWith(name + "{", StringComparison.Ordinal) || l.StartsWith(name + " ", StringComparison.Ordinal)) && labels.All(x => l.Contains(x, StringComparison.Ordinal)))
        .Sum(l => double.Parse(l[(l.LastIndexOf('}') is int close and >= 0 ? close + 1 : name.Length)..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture));
}
