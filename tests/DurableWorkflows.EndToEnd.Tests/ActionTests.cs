using DurableWorkflows.Core.Contracts;
using DurableWorkflows.EndToEnd.Tests.Infrastructure;

namespace DurableWorkflows.EndToEnd.Tests;

/// <summary>Actions on the real Docker engine: handlers, timeouts, retries and the shared /workflow folder.</summary>
public sealed class ActionTests(WorkflowHostFixture host) : IClassFixture<WorkflowHostFixture>
{
    [Fact(Timeout = 120_000)]
    public async Task RunWorkflow_ActionFails_OnFailureRunsAndLaterActionsDoNotRun()
    {
        const string yaml = """
            version: "0.1"
            name: action-fails
            global_timeout: 120
            tasks:
              - name: provision
                worker: local
                actions:
                  - name: partition
                    image: dwf-busybox:latest
                    timeout: 30
                    command: ["sh", "-c", "echo partitioning; echo 'disk /dev/sdz not found' >&2; exit 5"]
                    on-failure: ["sh", "-c", "echo on-failure handler ran; echo handled > /workflow/handled"]
                  - name: install
                    image: dwf-busybox:latest
                    timeout: 30
                    command: ["sh", "-c", "echo ran > /workflow/install-ran"]
              - name: report
                worker: local
                actions:
                  - name: notify
                    image: dwf-busybox:latest
                    timeout: 30
                    command: ["sh", "-c", "echo ran > /workflow/notify-ran"]
            """;
        await using var run = new WorkflowTestRun(host, yaml);

        WorkflowStatus status = await run.RunAsync();

        Assert.Equal(WorkflowState.FAILED, status.State);
        Assert.Contains("provision/partition", status.Message, StringComparison.Ordinal);
        ActionStatus failed = status.Action("provision", "partition")!;
        Assert.Equal(ActionState.FAILED, failed.State);
        Assert.Equal(5, failed.ExitCode);
        Assert.Contains("disk /dev/sdz not found", failed.LogTail);
        HandlerResult handler = Assert.IsType<HandlerResult>(failed.Handler);
        Assert.Equal(HandlerResult.OnFailure, handler.Kind);
        Assert.Equal(ActionState.SUCCESS, handler.State);
        Assert.Contains("on-failure handler ran", handler.LogTail);
        Assert.Contains(status.Events, e => e.Kind == WorkflowEventKind.HandlerRan && e.Action == "partition");
        Assert.Equal(ActionState.SKIPPED, status.Action("provision", "install")!.State);
        Assert.Equal(ActionState.SKIPPED, status.Action("report", "notify")!.State);
        await run.AssertNothingLeftAsync();

        // Docker never started a container of the later actions (they were only prepared, up to four ahead: created,
        // never started, then removed); the handler ran in the workflow's folder.
        Assert.Equal(["partition"], run.EventsOf("action", "start").Select(e => e.ActionName));
        Assert.Equal(["install", "notify", "partition"], run.EventsOf("action", "create").Select(e => e.ActionName).Order());
        Assert.Equal(["partition"], run.EventsOf("handler", "create").Select(e => e.ActionName));
        Assert.True(File.Exists(Path.Combine(run.WorkflowDirectory, "handled")));
        Assert.False(File.Exists(Path.Combine(run.WorkflowDirectory, "install-ran")));
        Assert.False(File.Exists(Path.Combine(run.WorkflowDirectory, "notify-ran")));
    }

    [Fact(Timeout = 120_000)]
    public async Task RunWorkflow_ActionTimesOut_OnTimeoutRunsAndStateIsTimeout()
    {
        const string yaml = """
            version: "0.1"
            name: action-times-out
            global_timeout: 120
            tasks:
              - name: provision
                worker: local
                actions:
                  - name: stuck
                    image: dwf-busybox:latest
                    timeout: 2
                    command: ["sh", "-c", "echo waiting forever; exec sleep 300"]
                    on-timeout: ["sh", "-c", "echo on-timeout handler ran"]
                    on-failure: ["sh", "-c", "echo wrong handler"]
                  - name: after
                    image: dwf-busybox:latest
                    timeout: 30
                    command: ["true"]
            """;
        await using var run = new WorkflowTestRun(host, yaml);

        WorkflowStatus status = await run.RunAsync();

        Assert.Equal(WorkflowState.TIMEOUT, status.State);
        ActionStatus stuck = status.Action("provision", "stuck")!;
        Assert.Equal(ActionState.TIMEOUT, stuck.State);
        HandlerResult handler = Assert.IsType<HandlerResult>(stuck.Handler);
        Assert.Equal(HandlerResult.OnTimeout, handler.Kind);
        Assert.Equal(["on-timeout handler ran"], handler.LogTail);
        Assert.Equal(ActionState.SKIPPED, status.Action("provision", "after")!.State);
        await run.AssertNothingLeftAsync();
        // The action's container was killed by Docker's "kill" at the deadline, long before its sleep ended.
        Assert.Contains(run.DockerEvents.Events, e => e.Role == "action" && e.Kind == "kill");
    }

    [Fact(Timeout = 120_000)]
    public async Task RunWorkflow_ActionFailsTwiceWithTwoRetries_SucceedsOnAttemptThree()
    {
        // A counter in the workflow's folder: attempts 1 and 2 fail, attempt 3 succeeds.
        const string yaml = """
            version: "0.1"
            name: retries
            global_timeout: 120
            tasks:
              - name: provision
                worker: local
                actions:
                  - name: flaky
                    image: dwf-busybox:latest
                    timeout: 30
                    retries: 2
                    command: ["sh", "-c", "n=$(cat /workflow/count 2>/dev/null || echo 0); n=$((n+1)); echo $n > /workflow/count; echo attempt $n; [ $n -ge 3 ]"]
                    on-failure: ["sh", "-c", "echo must not run"]
            """;
        await using var run = new WorkflowTestRun(host, yaml);

        WorkflowStatus status = await run.RunAsync();

        Assert.True(status.State == WorkflowState.SUCCESS, status.Message);
        ActionStatus flaky = status.Action("provision", "flaky")!;
        Assert.Equal(ActionState.SUCCESS, flaky.State);
        Assert.Equal(3, flaky.Attempt);
        Assert.Equal(0, flaky.ExitCode);
        Assert.Equal(["attempt 3"], flaky.LogTail);
        Assert.Null(flaky.Handler);
        Assert.Equal(2, status.Events.Count(e => e.Kind == WorkflowEventKind.ActionRetrying));
        Assert.Equal("3\n", await File.ReadAllTextAsync(Path.Combine(run.WorkflowDirectory, "count"), run.Token));
        await run.AssertNothingLeftAsync();
        Assert.Equal(3, run.EventsOf("action", "start").Count);
        Assert.Empty(run.EventsOf("handler", "create"));
    }

    [Fact(Timeout = 120_000)]
    public async Task RunWorkflow_ActionsAcrossTasks_HandFilesOnThroughWorkflowFolder()
    {
        const string yaml = """
            version: "0.1"
            name: hand-files-on
            global_timeout: 120
            tasks:
              - name: prepare
                worker: local
                actions:
                  - name: write
                    image: dwf-busybox:latest
                    timeout: 30
                    environment:
                      DEVICE: "{{.device}}"
                    command: ["sh", "-c", "mkdir -p /workflow/out && echo image for $DEVICE > /workflow/out/image"]
              - name: install
                worker: local
                actions:
                  - name: append
                    image: dwf-busybox:latest
                    timeout: 30
                    command: ["sh", "-c", "echo installed >> /workflow/out/image"]
                  - name: read
                    image: dwf-busybox:latest
                    timeout: 30
                    command: ["cat", "/workflow/out/image"]
            """;
        await using var run = new WorkflowTestRun(host, yaml, new Dictionary<string, string> { ["device"] = "machine-7" });

        WorkflowStatus status = await run.RunAsync();

        Assert.True(status.State == WorkflowState.SUCCESS, status.Message);
        Assert.Equal(["image for machine-7", "installed"], status.Action("install", "read")!.LogTail);
        await run.AssertNothingLeftAsync();
    }
}
