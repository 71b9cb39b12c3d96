using System.Net;
using System.Text;
using System.Text.Json;
using DurableWorkflows.Durability.Tests.Infrastructure;

namespace DurableWorkflows.Durability.Tests;

/// <summary>The hardware inventory on Azure Storage: shared by the nodes of a task hub, and kept across restarts.</summary>
public sealed class HardwareInventoryTests
{
    private const string Record = """
        apiVersion: tinkerbell.org/v1alpha1
        kind: Hardware
        metadata:
          name: rack1-node7
        spec:
          disks: [{device: /dev/sda}]
          interfaces:
            - dhcp: {mac: "02:00:00:00:07:01", hostname: node7}
        """;

    private const string ReadsTheRecord = """
        version: "0.1"
        name: reads-the-record
        global_timeout: 120
        tasks:
          - name: provision
            worker: local
            actions:
              - name: report
                image: dwf-busybox:latest
                timeout: 60
                command: ["sh", "-c", "echo {{ (index .Hardware.Interfaces 0).DHCP.Hostname }} {{ index .Hardware.Disks 0 }} > /workflow/seen.txt"]
        """;

    [Fact(Timeout = 300_000)]
    public async Task Inventory_PutOnOneNode_SeenByTheOtherAndKeptAcrossARestart()
    {
        await using var run = new DurabilityRun();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(280));
        ServeNode a = run.AddNode("node-a");
        ServeNode b = run.AddNode("node-b");
        await Task.WhenAll(a.StartAsync(cts.Token), b.StartAsync(cts.Token));

        using (HttpResponseMessage put = await a.Http.PutAsync("/api/hardware/rack1-node7", new StringContent(Record, Encoding.UTF8, "application/yaml"), cts.Token))
        {
            Assert.True(put.StatusCode == HttpStatusCode.Created, await put.Content.ReadAsStringAsync(cts.Token));
        }

        Assert.Equal("/dev/sda", await DiskAsync(b, cts.Token));

        // Both nodes go down; the record is in the task hub, not in either process.
        a.Kill();
        b.Kill();
        await a.StartAsync(cts.Token);
        Assert.Equal("/dev/sda", await DiskAsync(a, cts.Token));
        using (JsonDocument listed = JsonDocument.Parse(await a.Http.GetStringAsync("/api/hardware", cts.Token)))
        {
            Assert.Equal("rack1-node7", Assert.Single(listed.RootElement.GetProperty("hardware").EnumerateArray()).GetProperty("name").GetString());
        }

        string id = await run.StartWorkflowAsync(a, ReadsTheRecord, cts.Token, hardware: "rack1-node7");
        // A status read that waits for the end, on Azure Storage (which has no notice of it: the read polls the status).
        for (int read = 1; ; read++)
        {
            using HttpResponseMessage waited = await a.Http.GetAsync($"/api/workflows/{id}?wait=20", cts.Token);
            using JsonDocument status = JsonDocument.Parse(await waited.Content.ReadAsStringAsync(cts.Token));
            if (waited.StatusCode == HttpStatusCode.OK)
            {
                Assert.Equal("SUCCESS", status.RootElement.GetProperty("state").GetString());
                break;
            }

            Assert.Equal(HttpStatusCode.Accepted, waited.StatusCode);
            Assert.True(read < 5, $"workflow {id} still {status.RootElement.GetProperty("state").GetString()} after {read} reads of 20 s");
        }

        Assert.Equal("SUCCESS", await run.WaitForStateAsync(a, id, cts.Token, "SUCCESS", "FAILED", "TIMEOUT", "CANCELLED"));
        Assert.Equal("node7 /dev/sda", File.ReadAllText(Path.Combine(DurabilityRun.WorkflowFolder(a, id), "seen.txt")).Trim());

        // Replaced on one node, deleted on the other.
        await b.StartAsync(cts.Token);
        using (HttpResponseMessage replaced = await a.Http.PutAsync(
            "/api/hardware/rack1-node7", new StringContent(Record.Replace("/dev/sda", "/dev/nvme0n1", StringComparison.Ordinal), Encoding.UTF8, "application/yaml"), cts.Token))
        {
            Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        }

        Assert.Equal("/dev/nvme0n1", await DiskAsync(b, cts.Token));
        using (HttpResponseMessage deleted = await b.Http.DeleteAsync("/api/hardware/rack1-node7", cts.Token))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        using HttpResponseMessage gone = await a.Http.GetAsync("/api/hardware/rack1-node7", cts.Token);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        await run.WaitNoContainerLeftAsync(id, cts.Token);
    }

    private static async Task<string?> DiskAsync(ServeNode node, CancellationToken cancellationToken)
    {
        using HttpResponseMessage got = await node.Http.GetAsync("/api/hardware/rack1-node7", cancellationToken);
        Assert.True(got.StatusCode == HttpStatusCode.OK, $"{(int)got.StatusCode}: {await got.Content.ReadAsStringAsync(cancellationToken)}");
        using JsonDocument body = JsonDocument.Parse(await got.Content.ReadAsStringAsync(cancellationToken));
        return body.RootElement.GetProperty("spec").GetProperty("disks")[0].GetProperty("device").GetString();
    }
}
