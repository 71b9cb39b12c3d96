using System.Text.Json;
using Docker.DotNet.Models;

namespace DurableWorkflows.Agents.Tests;

/// <summary>
/// Tinkerbell's own legacy worker (the real tink-worker v0.9.0 binary) runs workflows from <c>dwf serve --tink-worker-urls</c>:
/// services on the provisioner's engine, the tasks' actions on the worker, the handlers on the worker too.
/// </summary>
public sealed class TinkWorkerTests(TinkWorkerMachine machine) : IClassFixture<TinkWorkerMachine>
{
    private static CancellationTokenSource Bound() => new(TimeSpan.FromSeconds(100));

    private static JsonElement Action(JsonElement status, string task, string action) =>
        status.GetProperty("tasks").EnumerateArray().First(t => t.GetProperty("name").GetString() == task)
            .GetProperty("actions").EnumerateArray().First(a => a.GetProperty("name").GetString() == action);

    /// <summary>The worker ID as a template may write it: the same MAC in capitals with dashes (IDs compare like MACs).</summary>
    private string WrittenId => machine.WorkerId.ToUpperInvariant().Replace(':', '-');

    [Fact(Timeout = 120_000)]
    public async Task TinkWorker_ServiceHealthyFirst_TwoTasksOnTheWorker_Succeed()
    {
        using CancellationTokenSource cts = Bound();
        int port = DwfProcessRun.FreePort();
        string id = await machine.StartAsync($$"""
            version: "0.1"
            name: legacy-worker
            global_timeout: 90
            services:
              - name: files
                worker: provisioner
                image: dwf-busybox:latest
                command: ["sh", "-c", "mkdir -p /srv && echo ok > /srv/ok && exec httpd -f -p 127.0.0.1:{{port}} -h /srv"]
                healthcheck:
                  test: ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:{{port}}/ok"]
                  interval: 200ms
                  retries: 20
            tasks:
              - name: install
                worker: "{{WrittenId}}"
                environment: {STAGE: install}
                volumes: ["/tmp:/host-tmp:ro"]
                actions:
                  - name: write
                    image: dwf-busybox:latest
                    timeout: 30
                    command: ["sh", "-c", "echo stage=$STAGE > /workflow/stage.txt && test -d /host-tmp"]
                  - name: verify
                    image: dwf-busybox:latest
                    timeout: 30
                    command: ["grep", "stage=install", "/workflow/stage.txt"]
              - name: finish
                worker: "{{WrittenId}}"
                actions:
                  - name: mark
                    image: dwf-busybox:latest
                    command: ["sh", "-c", "echo done > /workflow/done.txt"]
            """, cts.Token);
        try
        {
            using JsonDocument final = await machine.WaitForStateAsync(id, "SUCCESS", cts.Token);
            JsonElement status = final.RootElement;
            foreach ((string task, string action) in new[] { ("install", "write"), ("install", "verify"), ("finish", "mark") })
            {
                Assert.Equal("SUCCESS", Action(status, task, action).GetProperty("state").GetString());
                Assert.Equal(WrittenId, Action(status, task, action).GetProperty("agent").GetString());
            }

            JsonElement service = status.GetProperty("services")[0];
            Assert.Equal("REMOVED", service.GetProperty("state").GetString());
            Assert.True(service.GetProperty("readyAt").GetDateTimeOffset() <= Action(status, "install", "write").GetProperty("startedAt").GetDateTimeOffset(),
                "the service was ready before the first action");
            string[] events = [.. status.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("message").GetString()!)];
            Assert.Equal(3, events.Count(e => e == $"started on agent {WrittenId}"));
            Assert.Equal("stage=install\n", await File.ReadAllTextAsync(Path.Combine(TinkWorkerMachine.WorkflowFolder(id), "stage.txt"), cts.Token));
            Assert.Equal("done\n", await File.ReadAllTextAsync(Path.Combine(TinkWorkerMachine.WorkflowFolder(id), "done.txt"), cts.Token));
            await machine.WaitNoContainersAsync(id, cts.Token);
            await AssertNoWorkerContainersAsync(cts.Token);
        }
        finally
        {
            RemoveFolder(id);
        }
    }

    [Fact(Timeout = 120_000)]
    public async Task TinkWorker_FailingAction_RunsItsOnFailureOnTheWorker_EndsFailed()
    {
        using CancellationTokenSource cts = Bound();
        string id = await machine.StartAsync($$"""
            version: "0.1"
            name: legacy-worker-fails
            global_timeout: 90
            tasks:
              - name: install
                worker: "{{machine.WorkerId}}"
                actions:
                  - name: breaks
                    image: dwf-busybox:latest
                    timeout: 30
                    command: ["sh", "-c", "echo broken > /workflow/tried.txt; exit 3"]
                    on-failure: ["sh", "-c", "cat /workflow/tried.txt > /workflow/handled.txt"]
                  - name: never
                    image: dwf-busybox:latest
                    command: ["sh", "-c", "echo ran > /workflow/never.txt"]
            """, cts.Token);
        try
        {
            using JsonDocument final = await machine.WaitForStateAsync(id, "FAILED", cts.Token);
            JsonElement breaks = Action(final.RootElement, "install", "breaks");
            Assert.Equal("FAILED", breaks.GetProperty("state").GetString());
            Assert.Equal($"failed on agent {machine.WorkerId}", breaks.GetProperty("message").GetString());
            Assert.Equal("SUCCESS", breaks.GetProperty("handler").GetProperty("state").GetString());
            Assert.Equal("SKIPPED", Action(final.RootElement, "install", "never").GetProperty("state").GetString());
            Assert.Equal("broken\n", await File.ReadAllTextAsync(Path.Combine(TinkWorkerMachine.WorkflowFolder(id), "handled.txt"), cts.Token));
            Assert.False(File.Exists(Path.Combine(TinkWorkerMachine.WorkflowFolder(id), "never.txt")), "the action after the failure did not run");
            Assert.Contains(final.RootElement.GetProperty("events").EnumerateArray(), e => e.GetProperty("message").GetString() == "on-failure succeeded");

            // Nothing is left on the worker's engine, and the worker still serves.
            await AssertNoWorkerContainersAsync(cts.Token);
            Assert.False(machine.Worker.HasExited, machine.Worker.Output);
        }
        finally
        {
            RemoveFolder(id);
        }
    }

    /// <summary>tink-worker names its containers <c>action_NAME</c> and removes them after each action: none is left.</summary>
    private async Task AssertNoWorkerContainersAsync(CancellationToken cancellationToken)
    {
        IList<ContainerListResponse> left = await machine.Docker.Containers.ListContainersAsync(
            new ContainersListParameters { All = true, Filters = new Dictionary<string, IDictionary<string, bool>> { ["name"] = new Dictionary<string, bool> { ["action_"] = true } } },
            cancellationToken);
        Assert.Empty(left);
    }

    private static void RemoveFolder(string workflowId)
    {
        try
        {
            Directory.Delete(TinkWorkerMachine.WorkflowFolder(workflowId), recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
