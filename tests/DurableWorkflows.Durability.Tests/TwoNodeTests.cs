using DurableWorkflows.Durability.Tests.Infrastructure;
using Xunit.Abstractions;

namespace DurableWorkflows.Durability.Tests;

/// <summary>Two <c>dwf serve</c> nodes on one task hub share the work; when one is killed the other finishes every workflow.</summary>
public sealed class TwoNodeTests(ITestOutputHelper output)
{
    private const string CountingWorkflow = """
        version: "0.1"
        name: two-nodes
        global_timeout: 600
        tasks:
          - name: provision
            worker: local
            actions:
              - name: count
                image: dwf-busybox:latest
                timeout: 300
                command: ["sh", "-c", "echo started >> /workflow/starts.txt; sleep 12"]
              - name: after
                image: dwf-busybox:latest
                timeout: 60
                command: ["sh", "-c", "echo started >> /workflow/after.txt"]
        """;

    private const int FirstBatch = 6;
    private const int MostWorkflows = 14;

    [Fact(Timeout = 420_000)]
    public async Task Serve_TwoNodesOneKilled_BothRanWorkflowsAndSurvivorFinishesAll()
    {
        await using var run = new DurabilityRun();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(400));
        ServeNode a = run.AddNode("node-a");
        ServeNode b = run.AddNode("node-b");
        await Task.WhenAll(a.StartAsync(cts.Token), b.StartAsync(cts.Token));

        var ids = new List<string>();
        for (int i = 0; i < FirstBatch; i++)
        {
            ids.Add(await run.StartWorkflowAsync(i % 2 == 0 ? a : b, CountingWorkflow, cts.Token));
        }

        // The nodes split the hub's partitions (and take activities from its shared queue): wait until each has
        // created containers, starting more workflows meanwhile (bounded), so both have work in flight.
        using (var spread = CancellationTokenSource.CreateLinkedTokenSource(cts.Token))
        {
            spread.CancelAfter(TimeSpan.FromSeconds(150));
            while (RanBy(a, ids).Count == 0 || RanBy(b, ids).Count == 0)
            {
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(3), spread.Token);
                }
                catch (OperationCanceledException)
                {
                    Assert.Fail($"both nodes did not run work in time (a: {RanBy(a, ids).Count}, b: {RanBy(b, ids).Count} workflows).\n{run.NodeOutput()}");
                }

                if (ids.Count < MostWorkflows)
                {
                    ids.Add(await run.StartWorkflowAsync(a, CountingWorkflow, cts.Token));
                }
            }
        }

        output.WriteLine($"before the kill: node-a ran {RanBy(a, ids).Count}, node-b ran {RanBy(b, ids).Count} of {ids.Count} workflows");
        a.Kill();

        foreach (string id in ids)
        {
            Assert.Equal("SUCCESS", await run.WaitForStateAsync(b, id, cts.Token, "SUCCESS", "FAILED", "TIMEOUT", "CANCELLED"));
        }

        foreach (string id in ids)
        {
            Assert.Equal(1, StartedLines(a, b, id, "starts.txt"));
            Assert.Equal(1, StartedLines(a, b, id, "after.txt"));
            await run.WaitNoContainerLeftAsync(id, cts.Token);
        }

        output.WriteLine($"after the kill: node-b ran {RanBy(b, ids).Count} of {ids.Count} workflows; all succeeded");
    }

    /// <summary>The workflows whose containers a node created (its log names each container it creates).</summary>
    private static List<string> RanBy(ServeNode node, IEnumerable<string> ids)
    {
        string log = node.Output;
        return [.. ids.Where(id => log.Contains($"Created container dwf-{id}", StringComparison.Ordinal))];
    }

    /// <summary>The lines the action wrote, on whichever node's data directory it ran.</summary>
    private static int StartedLines(ServeNode a, ServeNode b, string id, string file) =>
        new[] { a, b }
            .Select(n => Path.Combine(DurabilityRun.WorkflowFolder(n, id), file))
            .Where(File.Exists)
            .Sum(p => File.ReadAllLines(p).Length);
}
