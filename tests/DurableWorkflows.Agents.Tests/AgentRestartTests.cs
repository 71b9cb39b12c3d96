using System.Text.Json;

namespace DurableWorkflows.Agents.Tests;

/// <summary>The server on Azure Storage (Azurite), SIGKILLed while an agent runs an action and started again.</summary>
public sealed class AzuriteAgentServer : AgentServer
{
    protected override string[] BackendArguments { get; } =
        ["--backend", "azurestorage", "--storage-connection", "UseDevelopmentStorage=true", "--task-hub", "agents" + Guid.NewGuid().ToString("N")[..8], "--worker-id", "agents-node"];
}

public sealed class AgentRestartTests(AzuriteAgentServer server) : IClassFixture<AzuriteAgentServer>
{
    [Fact(Timeout = 180_000)]
    public async Task ServerKilledWhileTheAgentRunsAnAction_StartedAgain_TheReportLandsAndTheActionRanOnce()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(170));
        string mac = AgentServer.NewMac();
        await server.StartAgentAsync(mac, cts.Token);
        string id = await server.StartAsync($$"""
            version: "0.1"
            name: server-restart
            global_timeout: 160
            tasks:
              - name: flash
                worker: "{{mac}}"
                actions:
                  - name: once
                    image: dwf-busybox:latest
                    timeout: 120
                    command: ["sh", "-c", "echo ran >> /workflow/runs; sleep 6; echo done"]
                  - name: after
                    image: dwf-busybox:latest
                    timeout: 60
                    command: ["sh", "-c", "echo after >> /workflow/runs"]
            """, cts.Token);
        await server.WaitStartedOnAgentAsync(id, mac, cts.Token);

        // Down while the action runs and ends: the agent's final report waits for the server to come back.
        await server.RestartServerAsync(TimeSpan.FromSeconds(8));

        using JsonDocument final = await server.WaitForStateAsync(id, "SUCCESS", cts.Token);
        Assert.Equal("ran\nafter\n", await File.ReadAllTextAsync(Path.Combine(server.AgentDirectory(mac), "workflows", id, "runs"), cts.Token));
        await server.WaitNoContainersAsync(id, cts.Token);
    }

    [Fact(Timeout = 180_000)]
    public async Task TwoNodesOnOneHub_TheAgentSwitchesNodesMidWorkflow_TheWorkflowCompletesEachActionOnce()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(170));
        string mac = AgentServer.NewMac();
        if (server.SecondNode is null)
        {
            await server.StartSecondNodeAsync(cts.Token);
        }

        DwfProcessRun first = await server.StartAgentAsync(mac, cts.Token);
        string id = await server.StartAsync($$"""
            version: "0.1"
            name: two-nodes
            global_timeout: 160
            tasks:
              - name: flash
                worker: "{{mac}}"
                actions:
                  - name: one
                    image: dwf-busybox:latest
                    timeout: 60
                    command: ["sh", "-c", "echo one >> /workflow/runs"]
                  - name: two
                    image: dwf-busybox:latest
                    timeout: 60
                    command: ["sh", "-c", "sleep 3; echo two >> /workflow/runs"]
                  - name: three
                    image: dwf-busybox:latest
                    timeout: 60
                    command: ["sh", "-c", "echo three >> /workflow/runs"]
            """, cts.Token);
        await server.WaitStartedOnAgentAsync(id, mac, cts.Token, action: "two");

        // The agent goes away on the first node while "two" runs, and comes back on the second: whichever node owns the
        // workflow, the second answers it from the task hub.
        first.Kill();
        await server.StartAgentAsync(mac, cts.Token, new Uri($"http://127.0.0.1:{server.SecondAgentPort}"));

        using JsonDocument final = await server.WaitForStateAsync(id, "SUCCESS", cts.Token);
        Assert.Equal("one\ntwo\nthree\n", await File.ReadAllTextAsync(Path.Combine(server.AgentDirectory(mac), "workflows", id, "runs"), cts.Token));
        await server.WaitNoContainersAsync(id, cts.Token);
    }
}
