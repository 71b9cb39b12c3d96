using DurableWorkflows.Core.Contracts;
using DurableWorkflows.EndToEnd.Tests.Infrastructure;

namespace DurableWorkflows.EndToEnd.Tests;

/// <summary>The global timeout and cancel: both stop a running action and clean up everything.</summary>
public sealed class LifecycleTests(WorkflowHostFixture host) : IClassFixture<WorkflowHostFixture>
{
    private const string SleepingWorkflow = """
        version: "0.1"
        name: sleeper
        global_timeout: {{.global_timeout}}
        services:
          - name: helper
            worker: local
            image: dwf-busybox:latest
            command: ["sh", "-c", "exec sleep 600"]
            restart: "no"
        tasks:
          - name: provision
            worker: local
            actions:
              - name: sleep
                image: dwf-busybox:latest
                timeout: 600
                command: ["sh", "-c", "echo sleeping; exec sleep 300"]
                on-timeout: ["sh", "-c", "echo on-timeout must not run for the global timeout"]
              - name: after
                image: dwf-busybox:latest
                timeout: 30
                command: ["true"]
        """;

    [Fact(Timeout = 120_000)]
    public async Task RunWorkflow_GlobalTimeoutWhileActionSleeps_TimeoutAndNothingLeft()
    {
        await using var run = new WorkflowTestRun(host, SleepingWorkflow, new Dictionary<string, string> { ["global_timeout"] = "4" });

        WorkflowStatus status = await run.RunAsync();

        Assert.Equal(WorkflowState.TIMEOUT, status.State);
        Assert.Contains("global timeout", status.Message, StringComparison.Ordinal);
        ActionStatus sleep = status.Action("provision", "sleep")!;
        Assert.Equal(ActionState.TIMEOUT, sleep.State);
        Assert.Null(sleep.Handler);
        Assert.Equal(ActionState.SKIPPED, status.Action("provision", "after")!.State);
        Assert.Equal(ServiceState.REMOVED, Assert.Single(status.Services).State);
        await run.AssertNothingLeftAsync();
        // The sleeping action's container was started, then stopped by the cleanup long before its sleep ended.
        Assert.Single(run.EventsOf("action", "start"));
        Assert.Single(run.EventsOf("action", "die"));
        Assert.Empty(run.EventsOf("handler", "create"));
    }

    [Fact(Timeout = 120_000)]
    public async Task CancelWorkflow_WhileActionSleeps_CancelledAndCleanedUp()
    {
        await using var run = new WorkflowTestRun(host, SleepingWorkflow, new Dictionary<string, string> { ["global_timeout"] = "600" });

        await run.StartAsync();
        await run.WaitActionRunningAsync("provision", "sleep");
        Assert.Equal(Server.Workflows.WorkflowRequestResult.Accepted, await host.Manager.CancelAsync(run.WorkflowId, "test cancels", run.Token));
        WorkflowStatus status = await run.WaitFinishedAsync();

        Assert.Equal(WorkflowState.CANCELLED, status.State);
        Assert.Contains("test cancels", status.Message, StringComparison.Ordinal);
        Assert.Equal(ActionState.CANCELLED, status.Action("provision", "sleep")!.State);
        Assert.Equal(ActionState.SKIPPED, status.Action("provision", "after")!.State);
        // The cleanup ran inside the workflow: it removed the service and reported it.
        Assert.Equal(ServiceState.REMOVED, Assert.Single(status.Services).State);
        await run.AssertNothingLeftAsync();
        Assert.Single(run.EventsOf("action", "die"));
        Assert.Empty(run.EventsOf("handler", "create"));
    }
}
