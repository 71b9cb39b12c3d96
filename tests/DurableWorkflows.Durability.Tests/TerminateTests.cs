using System.Net;
using DurableWorkflows.Durability.Tests.Infrastructure;

namespace DurableWorkflows.Durability.Tests;

/// <summary>Terminate ends the orchestration at once and runs no cleanup: the reaper removes the containers.</summary>
public sealed class TerminateTests
{
    private const string SleepingWorkflow = """
        version: "0.1"
        name: terminated
        global_timeout: 900
        tasks:
          - name: provision
            worker: local
            actions:
              - name: sleep
                image: dwf-busybox:latest
                timeout: 600
                command: ["sh", "-c", "exec sleep 300"]
        """;

    private const int ReaperPeriodSeconds = 3;

    [Fact(Timeout = 180_000)]
    public async Task Terminate_RunningWorkflow_ReaperRemovesItsContainersWithinOnePeriod()
    {
        await using var run = new DurabilityRun();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(170));
        ServeNode node = run.AddNode("node-a", ReaperPeriodSeconds);
        await node.StartAsync(cts.Token);
        string id = await run.StartWorkflowAsync(node, SleepingWorkflow, cts.Token);
        await run.WaitForRunningContainerAsync(id, cts.Token);

        using (HttpResponseMessage terminate = await node.Http.PostAsync($"/api/workflows/{id}/terminate", content: null, cts.Token))
        {
            Assert.Equal(HttpStatusCode.Accepted, terminate.StatusCode);
        }

        // The terminate request is queued: wait until the runtime reports the workflow ended, then one reaper period
        // (plus the time a pass takes to stop and remove) is all the container may outlive it.
        await WaitFinishedAsync(run, node, id, cts.Token);
        using var reaped = CancellationTokenSource.CreateLinkedTokenSource(cts.Token);
        reaped.CancelAfter(TimeSpan.FromSeconds(ReaperPeriodSeconds + 15));
        await run.WaitNoContainerLeftAsync(id, reaped.Token);
    }

    private static async Task WaitFinishedAsync(DurabilityRun run, ServeNode node, string id, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                using HttpResponseMessage status = await node.Http.GetAsync($"/api/workflows/{id}", cancellationToken);
                if (status.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }

                await Task.Delay(200, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"workflow {id} was not reported finished after terminate.\n{run.NodeOutput()}");
            }
        }
    }
}
