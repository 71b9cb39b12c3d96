using DurableWorkflows.Core.Contracts;
using DurableWorkflows.Core.Templates;
using DurableWorkflows.Orchestrations.Tests.Infrastructure;
using static DurableWorkflows.Orchestrations.Tests.Infrastructure.Workflows;

namespace DurableWorkflows.Orchestrations.Tests;

[Collection(OrchestrationCollection.Name)]
public sealed class WorkflowOrchestratorTests(OrchestrationHost host)
{
    private const int TestTimeout = 60_000;

    private static CancellationTokenSource Bound() => new(TimeSpan.FromSeconds(45));

    [Fact(Timeout = TestTimeout)]
    public async Task RunAsync_ServicesThenTasks_EveryServiceReadyBeforeFirstActionAndActionsInOrder()
    {
        using CancellationTokenSource cts = Bound();
        string id = NewId("order");
        host.Engine.Script(id).Services["slow"] = new FakeService(PendingPolls: 3);
        WorkflowDefinition definition = Workflow(
            600,
            [Service("fast"), Service("slow")],
            Task("t1", Action("a1"), Action("a2")),
            Task("t2", Action("b1")));

        WorkflowStatus status = await RunAsync(host, id, definition, cts.Token);

        Assert.Equal(WorkflowState.SUCCESS, status.State);
        IReadOnlyList<FakeCall> calls = host.Engine.Calls(id);
        long firstAction = calls.First(c => c.Activity == ActivityNames.StartAction).Sequence;
        Assert.All(calls.Where(c => c.Activity is ActivityNames.StartService or ActivityNames.AwaitServiceHealthy), c => Assert.True(c.Sequence < firstAction, $"{c.Activity} {c.Subject} after the first action"));
        Assert.Equal(5, calls.Count(c => c.Activity == ActivityNames.AwaitServiceHealthy)); // fast once, slow 3 pending + ready
        // Both services were started before either was awaited (fan-out).
        long lastStart = calls.Where(c => c.Activity == ActivityNames.StartService).Max(c => c.Sequence);
        Assert.True(lastStart < calls.First(c => c.Activity == ActivityNames.AwaitServiceHealthy).Sequence);
        Assert.Equal(["t1/a1", "t1/a2", "t2/b1"], calls.Where(c => c.Activity == ActivityNames.StartAction).Select(c => c.Subject));
        Assert.Equal(1, calls.Count(c => c.Activity == ActivityNames.CleanupWorkflow));
        Assert.Equal(ActivityNames.CleanupWorkflow, calls[^1].Activity);

        // Each action's container was prepared once, ahead: the first while the services started, the next by the run
        // along with a start it makes, or (revision 4) by the wait that starts the action before it; and before its own
        // start when the run makes that start (a wait's start may come first: it then creates it, the prepare finds it).
        Dictionary<string, FakeCall> prepareOf = calls.Where(c => c.Activity == ActivityNames.PrepareAction).ToDictionary(c => c.Subject!);
        FakeCall[] starts = [.. calls.Where(c => c.Activity == ActivityNames.StartAction)];
        Assert.Equal(["t1/a1", "t1/a2", "t2/b1"], prepareOf.Keys.Order());
        Assert.True(prepareOf["t1/a1"].Sequence < calls.First(c => c.Activity == ActivityNames.AwaitServiceHealthy).Sequence);
        foreach (FakeCall start in starts)
        {
            bool byTheWaitBefore = ((StartActionInput)start.Input).WaitFor is null;
            Assert.True(byTheWaitBefore || prepareOf[start.Subject!].Sequence < start.Sequence, $"{start.Subject} started before it was prepared");
        }

        Assert.All(status.Tasks.SelectMany(t => t.Actions), a => Assert.Equal(ActionState.SUCCESS, a.State));
        Assert.All(status.Tasks, t => Assert.Equal(ActionState.SUCCESS, t.State));
        Assert.All(status.Services, s => Assert.Equal(ServiceState.REMOVED, s.State));
        Assert.All(status.Services, s => Assert.NotNull(s.ReadyAt));
        Assert.Equal(1, status.Action("t2", "b1")!.Attempt);
        Assert.NotNull(status.StartedAt);
        Assert.NotNull(status.FinishedAt);
        Assert.Null(status.CurrentAction);

        // Events: in sequence, services healthy before any action started, the finish last.
        IReadOnlyList<WorkflowEvent> events = status.Events;
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Sequence));
        int lastHealthy = events.ToList().FindLastIndex(e => e.Kind == WorkflowEventKind.ServiceHealthy);
        int firstStarted = events.ToList().FindIndex(e => e.Kind == WorkflowEventKind.ActionStarted);
        Assert.True(lastHealthy >= 0 && lastHealthy < firstStarted);
        Assert.Equal(2, events.Count(e => e.Kind == WorkflowEventKind.ServiceStarted));
        Assert.Equal(3, events.Count(e => e.Kind == WorkflowEventKind.ActionSucceeded));
        Assert.Equal(WorkflowEventKind.WorkflowFinished, events[^1].Kind);
    }

    [Fact(Timeout = TestTimeout)]
    public async Task RunWorkflow_ActionFailsWhileTheNextIsPrepared_NextNeverStartsAndIsRemoved()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(45));
        string id = NewId("prepared");
        host.Engine.Script(id).Actions["t1/a1"] = _ => FakeRun.Exit(3);
        WorkflowDefinition definition = Workflow(600, [], Task("t1", Action("a1"), Action("a2")));

        WorkflowStatus status = await RunAsync(host, id, definition, cts.Token);

        Assert.Equal(WorkflowState.FAILED, status.State);
        Assert.Equal(ActionState.SKIPPED, status.Action("t1", "a2")!.State);
        IReadOnlyList<FakeCall> calls = host.Engine.Calls(id);
        // Without services both are prepared at once (revision 4 does not hold the first start behind its prepare).
        Assert.Equal(["t1/a1", "t1/a2"], calls.Where(c => c.Activity == ActivityNames.PrepareAction).Select(c => c.Subject).Order());
        Assert.Equal(["t1/a1"], calls.Where(c => c.Activity == ActivityNames.StartAction).Select(c => c.Subject));
        long prepareSecond = calls.Last(c => c.Activity == ActivityNames.PrepareAction).Sequence;
        Assert.True(prepareSecond < calls.First(c => c.Activity == ActivityNames.CleanupWorkflow).Sequence, "the cleanup ran before the prepared container existed");
        Assert.Empty(host.Engine.ContainersLeft(id));
    }

    [Fact(Timeout = TestTimeout)]
    public async Task RunWorkflow_RevisionZero_SchedulesNoPrepare()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(45));
        string id = NewId("rev0");
        WorkflowDefinition definition = Workflow(600, [Service("svc")], Task("t1", Action("a1"), Action("a2")));

        WorkflowStatus status = await RunAsync(host, id, definition, cts.Token, Fast with { Revision = 0 });

        Assert.Equal(WorkflowState.SUCCESS, status.State);
        IReadOnlyList<FakeCall> calls = host.Engine.Calls(id);
        Assert.DoesNotContain(calls, c => c.Activity == ActivityNames.PrepareAction);
        // Revision 0 inspects the services before each action, not alongside its start.
        FakeCall[] ordered = [.. calls.Where(c => c.Activity is ActivityNames.InspectServices or ActivityNames.StartAction)];
        Assert.Equal([ActivityNames.InspectServices, ActivityNames.StartAction, ActivityNames.InspectServices, ActivityNames.StartAction], ordered.Select(c => c.Activity));
        Assert.Empty(host.Engine.ContainersLeft(id));
    }

    [Fact(Timeout = TestTimeout)]
    public async Task RunAsync_ServiceNotReady_FailsBeforeAnyActionWithReasonAndLogs()
    {
        using CancellationTokenSource cts = Bound();
        string id = NewId("svcfail");
        host.Engine.Script(id).Services["db"] = new FakeService(PendingPolls: 1, FailReason: "exited with code 2 before it was ready", LogTail: ["starting", "fatal: no config"]);
        WorkflowDefinition definition = Workflow(600, [Service("web"), Service("db")], Task("t1", Action("a1")));

        WorkflowStatus status = await RunAsync(host, id, definition, cts.Token);

        Assert.Equal(WorkflowState.FAILED, status.State);
        Assert.Contains("db", status.Message, StringComparison.Ordinal);
        Assert.Contains("exited with code 2", status.Message, StringComparison.Ordinal);
        Assert.Contains("fatal: no config", status.Message, StringComparison.Ordinal);
        ServiceStatus db = status.Service("db")!;
        Assert.Equal(ServiceState.FAILED, db.State);
        Assert.Equal(["starting", "fatal: no config"], db.LogTail);
        Assert.DoesNotContain(host.Engine.Calls(id), c => c.Activity is ActivityNames.StartAction or ActivityNames.WaitAction);
        Assert.Equal(ActionState.SKIPPED, status.Action("t1", "a1")!.State);
        Assert.Equal(ActivityNames.CleanupWorkflow, host.Engine.Calls(id)[^1].Activity);
        Assert.Contains(status.Events, e => e.Kind == WorkflowEventKind.ServiceFailed && e.Service == "db");
    }

    [Fact(Timeout = TestTimeout)]
    public async Task RunAsync_ServiceNeverReadyWithinStartupTimeout_Fails()
    {
        using CancellationTokenSource cts = Bound();
        string id = NewId("svcslow");
        host.Engine.Script(id).Services["slow"] = new FakeService(PendingPolls: int.MaxValue);
        WorkflowDefinition definition = Workflow(600, [Service("slow", TimeSpan.FromSeconds(1))], Task("t1", Action("a1")));

        WorkflowStatus status = await RunAsync(host, id, definition, cts.Token);

        Assert.Equal(WorkflowState.FAILED, status.State);
        Assert.Contains("startup timeout", status.Service("slow")!.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(host.Engine.Calls(id), c => c.Activity == ActivityNames.StartAction);
    }

    [Fact(Timeout = TestTimeout)]
    public async Task RunAsync_ActionFails_RunsOnFailureAndSkipsLaterActions()
    {
        using CancellationTokenSource cts = Bound();
        string id = NewId("actfail");
        host.Engine.Script(id).Actions["t1/bad"] = _ => FakeRun.Exit(3);
        host.Engine.Script(id).Handler = FakeRun.Exit(0);
        WorkflowDefinition definition = Workflow(
            600,
            [],
            Task("t1", Action("ok"), Action("bad", onFailure: ["sh", "-c", "echo cleanup"]), Action("later")),
            Task("t2", Action("never")));

        WorkflowStatus status = await RunAsync(host, id, definition, cts.Token);

        Assert.Equal(WorkflowState.FAILED, status.State);
        ActionStatus bad = status.Action("t1", "bad")!;
        Assert.Equal(ActionState.FAILED, bad.State);
        Assert.Equal(3, bad.ExitCode);
        Assert.NotNull(bad.Handler);
        Assert.Equal(HandlerResult.OnFailure, bad.Handler.Kind);
        Assert.Equal(ActionState.SUCCESS, bad.Handler.State);
        Assert.Equal(0, bad.Handler.ExitCode);
        Assert.Equal(ActionState.SKIPPED, status.Action("t1", "later")!.State);
        Assert.Equal(ActionState.SKIPPED, status.Action("t2", "never")!.State);
        Assert.Equal(ActionState.FAILED, status.Tasks[0].State);
        Assert.Equal(ActionState.SKIPPED, status.Tasks[1].State);
        Assert.Equal("bad", status.CurrentAction);

        StartActionInput[] starts = [.. host.Engine.Calls(id).Where(c => c.Activity == ActivityNames.StartAction).Select(c => (StartActionInput)c.Input)];
        Assert.Equal(["ok", "bad", "bad"], starts.Select(s => s.Action.Name));
        StartActionInput handler = starts[^1];
        Assert.Equal(ContainerRole.Handler, handler.Role);
        Assert.Equal(["sh", "-c", "echo cleanup"], handler.CommandOverride);
        Assert.Equal("t1", handler.Task.Name);
        Assert.Equal("V", handler.Task.Environment["K"]);
        Assert.Contains(status.Events, e => e.Kind == WorkflowEventKind.HandlerRan && e.Action == "bad");
        Assert.Contains(status.Events, e => e.Kind == WorkflowEventKind.ActionFailed && e.Action == "bad");
    }

    [Fact(Timeout = TestTimeout)]
    public async Task RunAsync_ActionTimesOut_KilledAndRunsOnTimeout()
    {
        using CancellationTokenSource cts = Bound();
        string id = NewId("acttimeout");
        host.Engine.Script(id).Actions["t1/slow"] = _ => FakeRun.Hang;
        host.Engine.Script(id).Handler = FakeRun.Exit(5);
        WorkflowDefinition definition = Workflow(
            600,
            [],
            Task("t1", Action("slow", timeout: 1, onFailure: ["echo", "failure"], onTimeout: ["echo", "timeout"]), Action("later")));

        WorkflowStatus status = await RunAsync(host, id, definition, cts.Token);

        Assert.Equal(WorkflowState.TIMEOUT, status.State);
        ActionStatus slow = status.Action("t1", "slow")!;
        Assert.Equal(ActionState.TIMEOUT, slow.State);
        Assert.Equal(HandlerResult.OnTimeout, slow.Handler!.Kind);
        Assert.Equal(ActionState.FAILED, slow.Handler.State);
        Assert.Equal(5, slow.Handler.ExitCode);
        Assert.Equal(ActionState.SKIPPED, status.Action("t1", "later")!.State);

        IReadOnlyList<FakeCall> calls = host.Engine.Calls(id);
        WaitActionInput[] waits = [.. calls.Where(c => c.Activity == ActivityNames.WaitAction).Select(c => (WaitActionInput)c.Input)];
        Assert.True(waits.Length >= 2, "the wait is made of bounded chunks");
        Assert.All(waits, w => Assert.Equal(Fast.MaxWait, w.MaxWait));
        Assert.NotNull(waits[0].Deadline);
        StartActionInput handler = (StartActionInput)calls.Last(c => c.Activity == ActivityNames.StartAction).Input;
        Assert.Equal(["echo", "timeout"], handler.CommandOverride);
        Assert.Contains(status.Events, e => e.Kind == WorkflowEventKind.ActionTimedOut && e.Action == "slow");
    }

    [Fact(Timeout = TestTimeout)]
    public async Task RunAsync_ActionFailsThenSucceeds_RetriesWithNextAttempts()
    {
        using CancellationTokenSource cts = Bound();
        string id = NewId("retryok");
        host.Engine.Script(id).Actions["t1/flaky"] = attempt => attempt < 3 ? FakeRun.Exit(1) : FakeRun.Exit(0);
        WorkflowDefinition definition = Workflow(600, [], Task("t1", Action("flaky", retries: 4, onFailure: ["echo"]), Action("next")));

        WorkflowStatus status = await RunAsync(host, id, definition, cts.Token);

        Assert.Equal(WorkflowState.SUCCESS, status.State);
        ActionStatus flaky = status.Action("t1", "flaky")!;
        Assert.Equal(3, flaky.Attempt);
        Assert.Null(flaky.Handler);
        StartActionInput[] starts = [.. host.Engine.Calls(id).Where(c => c.Activity == ActivityNames.StartAction).Select(c => (StartActionInput)c.Input)];
        Assert.Equal([("flaky", 1), ("flaky", 2), ("flaky", 3), ("next", 1)], starts.Select(s => (s.Action.Name, s.Attempt)));
        Assert.All(starts, s => Assert.Equal(ContainerRole.Action, s.Role));
        Assert.Equal(2, status.Events.Count(e => e.Kind == WorkflowEventKind.ActionRetrying));
    }

    [Fact(Timeout = TestTimeout)]
    public async Task RunAsync_ActionFailsEveryAttempt_FailsAfterRetriesAndRunsHandlerOnce()
    {
        using CancellationTokenSource cts = Bound();
        string id = NewId("retryfail");
        host.Engine.Script(id).Actions["t1/broken"] = _ => FakeRun.Exit(9);
        WorkflowDefinition definition = Workflow(600, [], Task("t1", Action("broken", retries: 2, onFailure: ["echo", "bye"])));

        WorkflowStatus status = await RunAsync(host, id, definition, cts.Token);

        Assert.Equal(WorkflowState.FAILED, status.State);
        ActionStatus broken = status.Action("t1", "broken")!;
        Assert.Equal(3, broken.Attempt);
        Assert.Equal(9, broken.ExitCode);
        StartActionInput[] starts = [.. host.Engine.Calls(id).Where(c => c.Activity == ActivityNames.StartAction).Select(c => (StartActionInput)c.Input)];
        Assert.Equal(
            [(1, ContainerRole.Action), (2, ContainerRole.Action), (3, ContainerRole.Action), (3, ContainerRole.Handler)],
            starts.Select(s => (s.Attempt, s.Role)));
    }

    [Fact(Timeout = TestTimeout)]
    public async Task RunAsync_GlobalTimeoutPasses_TimesOutKillsRunningActionAndCleansUp()
    {
        using CancellationTokenSource cts = Bound();
        string id = NewId("global");
        host.Engine.Script(id).Actions["t1/forever"] = _ => FakeRun.Hang;
        // Long enough for the action to be running on a loaded machine; the race itself is deterministic.
        WorkflowDefinition definition = Workflow(5, [Service("svc")], Task("t1", Action("forever", timeout: 600, onTimeout: ["echo"]), Action("later")));

        WorkflowStatus status = await RunAsync(host, id, definition, cts.Token);

        Assert.Equal(WorkflowState.TIMEOUT, status.State);
        Assert.Contains("global timeout", status.Message, StringComparison.Ordinal);
        ActionStatus forever = status.Action("t1", "forever")!;
        Assert.Equal(ActionState.TIMEOUT, forever.State);
        Assert.Null(forever.Handler); // the global timeout does not run the action's handler
        Assert.Equal(ActionState.SKIPPED, status.Action("t1", "later")!.State);
        IReadOnlyList<FakeCall> calls = host.Engine.Calls(id);
        // The wait that was out carried the next action's start (revision 4), so the run cleans up again once it returned;
        // the action it was killed in never started the next one.
        Assert.Equal(2, calls.Count(c => c.Activity == ActivityNames.CleanupWorkflow));
        Assert.Single(calls, c => c.Activity == ActivityNames.StartAction);
        Assert.Equal(ServiceState.REMOVED, status.Service("svc")!.State);
    }

    [Fact(Timeout = TestTimeout)]
    public async Task RunAsync_GlobalTimeoutPassesWhileActionStarting_CleansUpAgainAfterTheStartReturns()
    {
        using CancellationTokenSource cts = Bound();
        string id = NewId("globalstart");
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        host.Engine.Script(id).StartActionGate = gate;
        host.Engine.Script(id).Actions["t1/forever"] = _ => FakeRun.Hang;
        WorkflowDefinition definition = Workflow(1, [], Task("t1", Action("forever", timeout: 600)));

        await ScheduleAsync(host, id, definition, cts.Token);
        // The global timeout fires and the cleanup runs while StartAction is still creating the container.
        while (!host.Engine.Calls(id).Any(c => c.Activity == ActivityNames.CleanupWorkflow))
        {
            await System.Threading.Tasks.Task.Delay(20, cts.Token);
        }

        gate.SetResult();
        WorkflowStatus status = await CompletionAsync(host, id, cts.Token);

        Assert.Equal(WorkflowState.TIMEOUT, status.State);
        AssertCleanedUpTwiceNothingLeft(id);
    }

    [Fact(Timeout = TestTimeout)]
    public async Task RunAsync_CancelWhilePrepareIsOutAndItReturnsDuringTheCleanup_CleansUpAgain()
    {
        using CancellationTokenSource cts = Bound();
        string id = NewId("cancelprep");
        WorkflowScript script = host.Engine.Script(id);
        script.Services["stuck"] = new FakeService(PendingPolls: int.MaxValue);
        var prepare = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cleanup = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        script.PrepareActionGate = prepare;
        script.CleanupGate = cleanup;
        WorkflowDefinition definition = Workflow(600, [Service("stuck")], Task("t1", Action("a1")));

        await ScheduleAsync(host, id, definition, cts.Token);
        while (!host.Engine.Calls(id).Any(c => c.Activity == ActivityNames.PrepareAction))
        {
            await System.Threading.Tasks.Task.Delay(10, cts.Token);
        }

        // The cancel comes while the first action's container is being prepared; the cleanup lists the containers
        // before that one exists, and the prepare returns (the run has taken its result) before the cleanup does.
        await host.Client.RaiseEventAsync(id, EventNames.Cancel, new CancelRequest("operator asked"), cts.Token);
        await script.CleanupListed.Task.WaitAsync(cts.Token);
        prepare.SetResult();
        while (!PrepareCompletedInHistory(id))
        {
            await System.Threading.Tasks.Task.Delay(10, cts.Token);
        }

        cleanup.SetResult();
        WorkflowStatus status = await CompletionAsync(host, id, cts.Token);

        Assert.Equal(WorkflowState.CANCELLED, status.State);
        AssertCleanedUpTwiceNothingLeft(id);
    }

    /// <summary>A run that lost the race to a start still out: a second cleanup, last, and no container left.</summary>
    private void AssertCleanedUpTwiceNothingLeft(string id)
    {
        Assert.Empty(host.Engine.ContainersLeft(id));
        IReadOnlyList<FakeCall> calls = host.Engine.Calls(id);
        Assert.Equal(2, calls.Count(c => c.Activity == ActivityNames.CleanupWorkflow));
        Assert.Equal(ActivityNames.CleanupWorkflow, calls[^1].Activity);
    }

    private bool PrepareCompletedInHistory(string id)
    {
        IReadOnlyList<DurableTask.Core.History.HistoryEvent> history = host.Backend.History(id);
        return history.OfType<DurableTask.Core.History.TaskScheduledEvent>().FirstOrDefault(e => e.Name == ActivityNames.PrepareAction) is { } scheduled
            && history.OfType<DurableTask.Core.History.TaskCompletedEvent>().Any(e => e.TaskScheduledId == scheduled.EventId);
    }

    [Fact(Timeout = TestTimeout)]
    public async Task RunAsync_GlobalTimeoutPassesWhileServiceNotReady_TimesOutWithoutActionsAndCleansUp()
    {
        using CancellationTokenSource cts = Bound();
        string id = NewId("globalsvc");
        host.Engine.Script(id).Services["stuck"] = new FakeService(PendingPolls: int.MaxValue);
        WorkflowDefinition definition = Workflow(1, [Service("stuck", TimeSpan.Zero)], Task("t1", Action("a1")));

        WorkflowStatus status = await RunAsync(host, id, definition, cts.Token);

        Assert.Equal(WorkflowState.TIMEOUT, status.State);
        Assert.Equal(ActionState.SKIPPED, status.Action("t1", "a1")!.State);
        Assert.Equal(ServiceState.REMOVED, status.Service("stuck")!.State);
        IReadOnlyList<FakeCall> calls = host.Engine.Calls(id);
        Assert.DoesNotContain(calls, c => c.Activity == ActivityNames.StartAction);
        Assert.Equal(ActivityNames.CleanupWorkflow, calls[^1].Activity);
        Assert.Equal(1, calls.Count(c => c.Activity == ActivityNames.CleanupWorkflow));
    }

    [Fact(Timeout = TestTimeout)]
    public async Task RunAsync_CancelEventRaised_CancelsKillsRunningActionAndCleansUp()
    {
        using CancellationTokenSource cts = Bound();
        string id = NewId("cancel");
        host.Engine.Script(id).Actions["t1/forever"] = _ => FakeRun.Hang;
        WorkflowDefinition definition = Workflow(600, [], Task("t1", Action("forever")), Task("t2", Action("never")));

        await ScheduleAsync(host, id, definition, cts.Token);
        await host.Engine.ActionStarted(id, "t1/forever").WaitAsync(cts.Token);
        // Cancel once the start call has returned and the action is being waited for (a cancel while the start call is
        // still out cleans up twice by design; that race has its own test).
        while (!host.Engine.Calls(id).Any(c => c.Activity == ActivityNames.WaitAction))
        {
            await System.Threading.Tasks.Task.Delay(10, cts.Token);
        }

        await host.Client.RaiseEventAsync(id, EventNames.Cancel, new CancelRequest("operator asked"), cts.Token);
        WorkflowStatus status = await CompletionAsync(host, id, cts.Token);

        Assert.Equal(WorkflowState.CANCELLED, status.State);
        Assert.Contains("operator asked", status.Message, StringComparison.Ordinal);
        Assert.Equal(ActionState.CANCELLED, status.Action("t1", "forever")!.State);
        Assert.Equal(ActionState.SKIPPED, status.Action("t2", "never")!.State);
        // Twice: the wait that was out carried t2/never's start (revision 4); killed, t1/forever did not make it.
        Assert.Equal(2, host.Engine.Calls(id).Count(c => c.Activity == ActivityNames.CleanupWorkflow));
        Assert.DoesNotContain(host.Engine.Calls(id), c => c.Activity == ActivityNames.StartAction && c.Subject == "t2/never");
    }

    [Fact(Timeout = TestTimeout)]
    public async Task RunAsync_CleanupThrowsOnce_RetriesCleanupAndSucceeds()
    {
        using CancellationTokenSource cts = Bound();
        string id = NewId("cleanup");
        host.Engine.Script(id).CleanupFailures = 1;
        WorkflowDefinition definition = Workflow(600, [], Task("t1", Action("a1")));

        WorkflowStatus status = await RunAsync(host, id, definition, cts.Token);

        Assert.Equal(WorkflowState.SUCCESS, status.State);
        Assert.Null(status.Message);
        Assert.Equal(2, host.Engine.Calls(id).Count(c => c.Activity == ActivityNames.CleanupWorkflow));
    }

    [Fact(Timeout = TestTimeout)]
    public async Task RunAsync_CleanupAlwaysThrows_KeepsStateAndSaysCleanupFailed()
    {
        using CancellationTokenSource cts = Bound();
        string id = NewId("cleanupfail");
        host.Engine.Script(id).CleanupFailures = 100;
        WorkflowDefinition definition = Workflow(600, [], Task("t1", Action("a1")));

        WorkflowStatus status = await RunAsync(host, id, definition, cts.Token);

        Assert.Equal(WorkflowState.SUCCESS, status.State);
        Assert.Contains("cleanup failed", status.Message, StringComparison.Ordinal);
        Assert.Equal(Fast.CleanupAttempts, host.Engine.Calls(id).Count(c => c.Activity == ActivityNames.CleanupWorkflow));
    }

    [Fact(Timeout = TestTimeout)]
    public async Task RunAsync_EngineUnreachableForAWhile_StepTriedAgainAndWorkflowSucceeds()
    {
        using CancellationTokenSource cts = Bound();
        string id = NewId("engineblip");
        host.Engine.Script(id).UnreachableStarts = Fast.EngineUnreachableAttempts - 1;
        WorkflowDefinition definition = Workflow(600, [], Task("t1", Action("a1")));

        WorkflowStatus status = await RunAsync(host, id, definition, cts.Token);

        Assert.Equal(WorkflowState.SUCCESS, status.State);
        Assert.Equal(Fast.EngineUnreachableAttempts, host.Engine.Calls(id).Count(c => c.Activity == ActivityNames.StartAction));
        Assert.Equal(1, status.Action("t1", "a1")!.Attempt);
    }

    [Fact(Timeout = TestTimeout)]
    public async Task RunAsync_EngineUnreachableForGood_ActionFailsNamingTheEngineAfterItsRetries()
    {
        using CancellationTokenSource cts = Bound();
        string id = NewId("enginegone");
        host.Engine.Script(id).UnreachableStarts = 100;
        WorkflowDefinition definition = Workflow(600, [], Task("t1", Action("a1", retries: 1)));

        WorkflowStatus status = await RunAsync(host, id, definition, cts.Token);

        Assert.Equal(WorkflowState.FAILED, status.State);
        Assert.Contains("could not start: Docker endpoint unix:///fake.sock is unreachable", status.Message, StringComparison.Ordinal);
        // Each of the action's two attempts tried the engine the configured number of times.
        Assert.Equal(2 * Fast.EngineUnreachableAttempts, host.Engine.Calls(id).Count(c => c.Activity == ActivityNames.StartAction));
    }

    [Fact(Timeout = TestTimeout)]
    public async Task RunAsync_EngineUnreachableRevisionZero_FailsWithoutTryingAgain()
    {
        using CancellationTokenSource cts = Bound();
        string id = NewId("enginerev0");
        host.Engine.Script(id).UnreachableStarts = 1;
        WorkflowDefinition definition = Workflow(600, [], Task("t1", Action("a1")));

        WorkflowStatus status = await RunAsync(host, id, definition, cts.Token, Fast with { Revision = 0 });

        // A run of revision 0 scheduled no retry timers, and its history must replay the same way.
        Assert.Equal(WorkflowState.FAILED, status.State);
        Assert.Single(host.Engine.Calls(id), c => c.Activity == ActivityNames.StartAction);
    }

    [Fact(Timeout = TestTimeout)]
    public async Task RunAsync_StartQueuedLongerThanTheTimeout_TimeoutCountsFromTheContainersStart()
    {
        using CancellationTokenSource cts = Bound();
        string id = NewId("queued");
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        host.Engine.Script(id).StartActionGate = gate;
        host.Engine.Script(id).Actions["t1/a1"] = _ => new FakeRun(0, RunsFor: TimeSpan.FromMilliseconds(1500));
        WorkflowDefinition definition = Workflow(600, [], Task("t1", Action("a1", timeout: 3)));

        System.Threading.Tasks.Task<WorkflowStatus> run = RunAsync(host, id, definition, cts.Token);
        // The start waits (a busy engine, a queue of work) longer than the action's timeout before the container starts.
        await System.Threading.Tasks.Task.Delay(TimeSpan.FromSeconds(4), cts.Token);
        gate.SetResult();
        WorkflowStatus status = await run;

        Assert.Equal(WorkflowState.SUCCESS, status.State);
        Assert.Equal(ActionState.SUCCESS, status.Action("t1", "a1")!.State);
    }

    [Fact(Timeout = TestTimeout)]
    public async Task RunAsync_ActionStoppedFromOutside_FailureNamesTheSignal()
    {
        using CancellationTokenSource cts = Bound();
        string id = NewId("sigterm");
        host.Engine.Script(id).Actions["t1/a1"] = _ => FakeRun.Exit(143);
        WorkflowDefinition definition = Workflow(600, [], Task("t1", Action("a1")));

        WorkflowStatus status = await RunAsync(host, id, definition, cts.Token);

        Assert.Equal(WorkflowState.FAILED, status.State);
        Assert.Contains("exited with code 143 (SIGTERM: stopped from outside the workflow", status.Action("t1", "a1")!.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeout)]
    public async Task RunAsync_ServiceRestartsAndExitsDuringTasks_RecordedWithoutChangingState()
    {
        using CancellationTokenSource cts = Bound();
        string id = NewId("restarts");
        host.Engine.Script(id).Observations = [new ServiceObservation("svc", "c1", DockerStatus.Exited, null, 2, 1)];
        WorkflowDefinition definition = Workflow(600, [Service("svc")], Task("t1", Action("a1"), Action("a2")));

        WorkflowStatus status = await RunAsync(host, id, definition, cts.Token);

        Assert.Equal(WorkflowState.SUCCESS, status.State);
        // Alongside a1 only: from revision 5 the cleanup right after the last action looks at the services instead.
        Assert.Equal(1, host.Engine.Calls(id).Count(c => c.Activity == ActivityNames.InspectServices));
        ServiceStatus svc = status.Service("svc")!;
        Assert.Equal(2, svc.Restarts);
        Assert.Single(status.Events, e => e.Kind == WorkflowEventKind.ServiceRestarted);
        WorkflowEvent exited = Assert.Single(status.Events, e => e.Kind == WorkflowEventKind.ServiceExited);
        Assert.Equal("svc", exited.Service);
        Assert.Contains("code 1", exited.Message, StringComparison.Ordinal);
    }

    [Theory(Timeout = TestTimeout)]
    [InlineData(4, 1)]
    [InlineData(5, 0)]
    public async Task RunAsync_ServiceExitsDuringTheLastAction_RecordedOnceByTheInspectOrTheCleanup(int revision, int inspects)
    {
        using CancellationTokenSource cts = Bound();
        string id = NewId($"lastexit{revision}");
        host.Engine.Script(id).Observations = [new ServiceObservation("svc", "c1", DockerStatus.Exited, null, 0, 1)];
        WorkflowDefinition definition = Workflow(600, [Service("svc")], Task("t1", Action("a1")));

        WorkflowStatus status = await RunAsync(host, id, definition, cts.Token, Fast with { Revision = revision });

        Assert.Equal(WorkflowState.SUCCESS, status.State);
        Assert.Equal(inspects, host.Engine.Calls(id).Count(c => c.Activity == ActivityNames.InspectServices));
        WorkflowEvent exited = Assert.Single(status.Events, e => e.Kind == WorkflowEventKind.ServiceExited);
        Assert.Equal(("svc", "exited with code 1"), (exited.Service, exited.Message));
        ServiceStatus svc = status.Service("svc")!;
        Assert.Equal((ServiceState.REMOVED, 1L, "exited with code 1"), (svc.State, svc.ExitCode, svc.Reason));
    }

    [Fact(Timeout = TestTimeout)]
    public async Task RunAsync_WhileRunning_CustomStatusIsCompactWorkflowStatus()
    {
        using CancellationTokenSource cts = Bound();
        string id = NewId("custom");
        host.Engine.Script(id).Actions["t1/forever"] = _ => FakeRun.Hang;
        WorkflowDefinition definition = Workflow(600, [Service("svc")], Task("t1", Action("forever")));

        await ScheduleAsync(host, id, definition, cts.Token);
        await host.Engine.ActionStarted(id, "t1/forever").WaitAsync(cts.Token);
        WorkflowStatus? running = null;
        while (running?.Action("t1", "forever")?.Container is null)
        {
            await System.Threading.Tasks.Task.Delay(50, cts.Token);
            running = (await host.Client.GetInstanceAsync(id, getInputsAndOutputs: true, cts.Token))?.ReadCustomStatusAs<WorkflowStatus>();
        }

        Assert.Equal(WorkflowState.RUNNING, running.State);
        Assert.Equal("t1", running.CurrentTask);
        Assert.Equal("forever", running.CurrentAction);
        Assert.Equal(ServiceState.READY, running.Service("svc")!.State);
        Assert.Equal(ActionState.RUNNING, running.Action("t1", "forever")!.State);

        await host.Client.RaiseEventAsync(id, EventNames.Cancel, new CancelRequest(), cts.Token);
        WorkflowStatus status = await CompletionAsync(host, id, cts.Token);
        Assert.Equal(WorkflowState.CANCELLED, status.State);
    }
}
