using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using DurableWorkflows.Core.Contracts;

namespace DurableWorkflows.Server.Tests;

/// <summary>A server whose host.json maps no worker and refuses unknown ones (<c>UnknownWorkers: error</c>).</summary>
public sealed class StrictWorkersServer() : ServerFixture(new Dictionary<string, string?> { ["DurableWorkflows:Docker:UnknownWorkers"] = "error" });

/// <summary>A task whose worker is one of its Hardware record's MACs runs on the record's Docker endpoint, without host.json.</summary>
public sealed class WorkerByMacTests(StrictWorkersServer server) : IClassFixture<StrictWorkersServer>
{
    private const string OnTheMachine = """
        version: "0.1"
        name: on-the-machine
        global_timeout: 60
        services:
          - name: beacon
            worker: "{{ .device_1 }}"
            image: dwf-busybox:latest
            command: ["sleep", "60"]
        tasks:
          - name: provision
            worker: "{{ .device_1 }}"
            actions:
              - name: report
                image: dwf-busybox:latest
                timeout: 30
                command: ["sh", "-c", "echo provisioning {{ (index .Hardware.Interfaces 0).DHCP.Hostname }} on {{ index .Hardware.Disks 0 }}"]
        """;

    private static string Engine => Environment.GetEnvironmentVariable("DOCKER_HOST") ?? "unix:///var/run/docker.sock";

    [Fact(Timeout = 120_000)]
    public async Task Start_WorkerIsTheRecordsMacAndRecordNamesTheEngine_RunsThereWithoutHostJson()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        string name = $"mac-{Guid.NewGuid():N}"[..16];
        string id = $"by-mac-{Guid.NewGuid():N}"[..20];
        try
        {
            using HttpResponseMessage put = await server.Http.PutAsync(
                $"/api/hardware/{name}", new StringContent(HardwareFixtures.Named(name, Engine), Encoding.UTF8, "application/yaml"), cts.Token);
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);

            // The MAC as a worker in another spelling: upper case with dashes.
            using HttpResponseMessage started = await server.Http.PostAsJsonAsync(
                "/api/workflows", new { template = OnTheMachine, id, hardware = name, vars = new { device_1 = "3C-EC-EF-4C-4F-55" } }, cts.Token);
            Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
            using JsonDocument final = await server.WaitForStateAsync(id, cts.Token, WorkflowState.SUCCESS, WorkflowState.FAILED);

            Assert.True(final.RootElement.GetProperty("state").GetString() == "SUCCESS", final.RootElement.ToString());
            Assert.Equal("3C-EC-EF-4C-4F-55", final.RootElement.GetProperty("tasks")[0].GetProperty("worker").GetString());
            using JsonDocument logs = JsonDocument.Parse(await server.Http.GetStringAsync($"/api/workflows/{id}/logs?task=provision&action=report", cts.Token));
            Assert.Equal("provisioning sm01 on /dev/nvme0n1", Assert.Single(logs.RootElement.EnumerateArray()).GetProperty("text").GetString()!.Trim());
            Assert.Empty(await server.ContainersOfAsync(id, cts.Token));
        }
        finally
        {
            await server.Http.DeleteAsync($"/api/hardware/{name}");
            Assert.Equal(0, await server.RemoveContainersOfAsync(id));
        }
    }

    [Fact(Timeout = 120_000)]
    public async Task Start_RecordWithoutEndpoint_WorkerIsRefusedAsUnknown()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        string name = $"noep-{Guid.NewGuid():N}"[..16];
        string id = $"no-ep-{Guid.NewGuid():N}"[..20];
        try
        {
            using HttpResponseMessage put = await server.Http.PutAsync(
                $"/api/hardware/{name}", new StringContent(HardwareFixtures.Named(name), Encoding.UTF8, "application/yaml"), cts.Token);
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);

            using HttpResponseMessage started = await server.Http.PostAsJsonAsync(
                "/api/workflows", new { template = OnTheMachine, id, hardware = name, vars = new { device_1 = "3c:ec:ef:4c:4f:54" } }, cts.Token);
            Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
            using JsonDocument final = await server.WaitForStateAsync(id, cts.Token, WorkflowState.SUCCESS, WorkflowState.FAILED);

            Assert.Equal("FAILED", final.RootElement.GetProperty("state").GetString());
            Assert.Contains("Worker '3c:ec:ef:4c:4f:54' has no Docker endpoint", final.RootElement.ToString(), StringComparison.Ordinal);
            Assert.Empty(await server.ContainersOfAsync(id, cts.Token));
        }
        finally
        {
            await server.Http.DeleteAsync($"/api/hardware/{name}");
            Assert.Equal(0, await server.RemoveContainersOfAsync(id));
        }
    }
}
