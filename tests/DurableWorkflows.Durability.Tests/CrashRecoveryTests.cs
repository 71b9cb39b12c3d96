using System.Diagnostics;
using DurableWorkflows.Durability.Tests.Infrastructure;
using Xunit.Abstractions;

namespace DurableWorkflows.Durability.Tests;

/// <summary>A server killed with SIGKILL while an action runs: started again, it re-attaches to the action's container and finishes the workflow.</summary>
public sealed class CrashRecoveryTests(ITestOutputHelper output)
{
    /// <summary>The action appends a line to a file of the workflow folder each time its container starts, then sleeps.</summary>
    private const string CountingWorkflow = """
        version: "0.1"
        name: crash-recovery
        global_timeout: 600
        tasks:
          - name: provision
            worker: local
            actions:
              - name: count
                image: dwf-busybox:latest
                timeout: 300
                command: ["sh", "-c", "echo started >> /workflow/starts.txt; sleep 10"]
              - name: after
                image: dwf-busybox:latest
                timeout: 60
                command: ["sh", "-c", "echo started >> /workflow/after.txt"]
        """;

    /// <summary>The bound: recovery starts within 90 s of the restart.</summary>
    private static readonly TimeSpan RecoveryBound = TimeSpan.FromSeconds(90);

    [Fact(Timeout = 240_000)]
    public async Task Serve_KilledWhileActionRuns_RestartReattachesAndWorkflowSucceeds()
    {
        await using var run = new DurabilityRun();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(220));
        ServeNode node = run.AddNode("node-a");
        await node.StartAsync(cts.Token);

        string id = await run.StartWorkflowAsync(node, CountingWorkflow, cts.Token);
        await run.WaitForRunningContainerAsync(id, cts.Token);
        string starts = Path.Combine(DurabilityRun.WorkflowFolder(node, id), "starts.txt");
        node.Kill();

        var sinceRestart = Stopwatch.StartNew();
        await node.StartAsync(cts.Token);
        using (var recovery = CancellationTokenSource.CreateLinkedTokenSource(cts.Token))
        {
            recovery.CancelAfter(RecoveryBound);
            Assert.Equal("SUCCESS", await run.WaitForStateAsync(node, id, recovery.Token, "SUCCESS", "FAILED", "TIMEOUT", "CANCELLED"));
        }

        output.WriteLine($"workflow {id} completed {sinceRestart.Elapsed.TotalSeconds:F1} s after the restart");
        Assert.Equal(["started"], await File.ReadAllLinesAsync(starts, cts.Token));
        Assert.Equal(["started"], await File.ReadAllLinesAsync(Path.Combine(DurabilityRun.WorkflowFolder(node, id), "after.txt"), cts.Token));
        await run.WaitNoContainerLeftAsync(id, cts.Token);
    }
}
