using DurableWorkflows.Core.Contracts;
using static DurableWorkflows.Orchestrations.Tests.Infrastructure.Workflows;
using T = DurableWorkflows.Orchestrations.WorkflowRuns.StatusTransitions;

namespace DurableWorkflows.Orchestrations.Tests;

/// <summary>The status algebra on its own: every transition from facts to the next status, no sidecar.</summary>
public sealed class StatusTransitionsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private static WorkflowStatus Sample() =>
        WorkflowStatus.Pending("wf-1", Workflow(600, [Service("boots")], Task("t1", Action("a1", timeout: 5), Action("a2")), Task("t2", Action("b1"))), T0);

    private static ServiceStatus Svc(WorkflowStatus s) => s.Service("boots")!;

    private static WorkflowStatus ReadyService() =>
        T.ServiceReady(T.ServiceStarted(T.ServiceStarting(Sample(), "boots"), "boots", "c-boots", T0), "boots",
            new ServiceReadiness("boots", true, "running", "healthy", 0, null, []), T0.AddSeconds(1));

    private static ActionWaitResult Exited(long code) => new(ActionRunState.Exited, code, T0.AddSeconds(1), T0.AddSeconds(3), ["out"]);

    [Fact]
    public void ServiceStarting_ThenStarted_RecordsContainerAndEvent()
    {
        WorkflowStatus s = T.ServiceStarting(Sample(), "boots");
        Assert.Equal(ServiceState.STARTING, Svc(s).State);

        s = T.ServiceStarted(s, "boots", "c-boots", T0);
        Assert.Equal("c-boots", Svc(s).Container);
        Assert.Equal(T0, Svc(s).StartedAt);
        WorkflowEvent e = Assert.Single(s.Events);
        Assert.Equal(WorkflowEventKind.ServiceStarted, e.Kind);
        Assert.Equal("container c-boots started", e.Message);
    }

    [Fact]
    public void ServiceReady_WithHealth_ReadyAtAndHealthyEvent()
    {
        WorkflowStatus s = ReadyService();
        Assert.Equal(ServiceState.READY, Svc(s).State);
        Assert.Equal("healthy", Svc(s).Health);
        Assert.Equal(T0.AddSeconds(1), Svc(s).ReadyAt);
        Assert.Equal("running, healthy", s.Events[^1].Message);
    }

    [Fact]
    public void ServiceReady_NoHealthcheck_SaysRunning()
    {
        WorkflowStatus s = T.ServiceReady(Sample(), "boots", new ServiceReadiness("boots", true, "running", null, 0, null, []), T0);
        Assert.Null(Svc(s).Health);
        Assert.Equal("running", s.Events[^1].Message);
    }

    [Fact]
    public void ServicePending_KeepsStateRecordsHealthAndRestarts()
    {
        WorkflowStatus s = T.ServicePending(T.ServiceStarting(Sample(), "boots"), "boots", new ServiceReadiness("boots", false, "restarting", "starting", 2, null, [], Pending: true));
        Assert.Equal(ServiceState.STARTING, Svc(s).State);
        Assert.Equal("starting", Svc(s).Health);
        Assert.Equal(2, Svc(s).Restarts);
        Assert.Empty(s.Events);
    }

    [Fact]
    public void ServiceFailed_ReasonLogsEvent_AndOutcomeMessageCarriesTail()
    {
        var readiness = new ServiceReadiness("boots", false, "exited", "unhealthy", 3, "gave up", ["l1", "l2"]);
        WorkflowStatus s = T.ServiceFailed(Sample(), "boots", "gave up", ["l1", "l2"], readiness, T0);

        Assert.Equal(ServiceState.FAILED, Svc(s).State);
        Assert.Equal(3, Svc(s).Restarts);
        Assert.Equal("unhealthy", Svc(s).Health);
        Assert.Equal(WorkflowEventKind.ServiceFailed, s.Events[^1].Kind);
        Assert.Equal("service boots failed: gave up; last log lines:\nl1\nl2", T.ServiceFailureMessage(s, "boots"));
    }

    [Fact]
    public void ServiceFailed_WithoutReadiness_KeepsWhatWasSeen()
    {
        WorkflowStatus s = T.ServicePending(Sample(), "boots", new ServiceReadiness("boots", false, "running", "starting", 1, null, [], Pending: true));
        s = T.ServiceFailed(s, "boots", "could not check readiness: x", [], null, T0);
        Assert.Equal(1, Svc(s).Restarts);
        Assert.Equal("starting", Svc(s).Health);
        Assert.Equal("service boots failed: could not check readiness: x", T.ServiceFailureMessage(s, "boots"));
    }

    [Theory]
    [InlineData(DockerStatus.Running, ServiceState.READY)]
    [InlineData(DockerStatus.Restarting, ServiceState.RESTARTING)]
    [InlineData(DockerStatus.Exited, ServiceState.EXITED)]
    [InlineData(DockerStatus.Dead, ServiceState.EXITED)]
    [InlineData(DockerStatus.Removing, ServiceState.EXITED)]
    [InlineData(DockerStatus.Created, ServiceState.READY)]
    [InlineData(DockerStatus.Paused, ServiceState.READY)]
    public void ObservedState_MapsContainerToService(DockerStatus container, ServiceState expected) =>
        Assert.Equal(expected, T.ObservedState(container, ServiceState.READY));

    [Fact]
    public void ServiceObserved_Restarting_OneRestartEventThenStateChange()
    {
        WorkflowStatus s = T.ServiceObserved(ReadyService(), new ServiceObservation("boots", "c-boots", DockerStatus.Restarting, "starting", 1, 1), T0.AddSeconds(5));
        Assert.Equal(ServiceState.RESTARTING, Svc(s).State);
        Assert.Equal(1, Svc(s).Restarts);
        Assert.Equal("restarted (restart 1)", s.Events[^1].Message);
    }

    [Fact]
    public void ServiceObserved_SeveralRestartsAtOnce_CountedInOneEvent()
    {
        WorkflowStatus s = T.ServiceObserved(ReadyService(), new ServiceObservation("boots", "c-boots", DockerStatus.Running, "healthy", 3, null), T0);
        Assert.Equal(ServiceState.READY, Svc(s).State);
        Assert.Equal("restarted 3 times (restart 3)", s.Events[^1].Message);
    }

    [Fact]
    public void ServiceObserved_Exited_ReasonExitCodeAndOneExitEvent()
    {
        var seen = new ServiceObservation("boots", "c-boots", DockerStatus.Exited, null, 0, 2);
        WorkflowStatus s = T.ServiceObserved(ReadyService(), seen, T0);
        Assert.Equal(ServiceState.EXITED, Svc(s).State);
        Assert.Equal(2, Svc(s).ExitCode);
        Assert.Equal("exited with code 2", Svc(s).Reason);
        Assert.Equal(WorkflowEventKind.ServiceExited, s.Events[^1].Kind);

        int events = s.Events.Count;
        Assert.Equal(events, T.ServiceObserved(s, seen, T0).Events.Count);
    }

    [Fact]
    public void ServiceObserved_Unchanged_SameStatus()
    {
        WorkflowStatus before = ReadyService();
        Assert.Same(before, T.ServiceObserved(before, new ServiceObservation("boots", "c-boots", DockerStatus.Running, "healthy", 0, null), T0));
    }

    [Fact]
    public void ServiceObserved_FailedOrUnknown_Ignored()
    {
        WorkflowStatus failed = T.ServiceFailed(Sample(), "boots", "x", [], null, T0);
        Assert.Same(failed, T.ServiceObserved(failed, new ServiceObservation("boots", "c", DockerStatus.Running, null, 5, null), T0));
        Assert.Same(failed, T.ServiceObserved(failed, new ServiceObservation("other", "c", DockerStatus.Exited, null, 0, 1), T0));
    }

    [Fact]
    public void ServicesRemoved_ReadyIsRemovedFailedStaysFailed_RestartsAndExitCode()
    {
        var result = new CleanupResult([
            new ContainerFinalState("c-boots", ContainerRole.Service, "boots", "running", 137, 2),
            new ContainerFinalState("c-a1", ContainerRole.Action, null, "exited", 0, 0),
        ]);
        WorkflowStatus s = T.ServicesRemoved(ReadyService(), result, T0);
        Assert.Equal(ServiceState.REMOVED, Svc(s).State);
        Assert.Equal(137, Svc(s).ExitCode);
        Assert.Equal(2, Svc(s).Restarts);
        Assert.Equal(WorkflowEventKind.ServiceRestarted, s.Events[^1].Kind);

        WorkflowStatus failed = T.ServicesRemoved(T.ServiceFailed(Sample(), "boots", "x", [], null, T0), result, T0);
        Assert.Equal(ServiceState.FAILED, Svc(failed).State);
    }

    [Fact]
    public void ServicesRemoved_ExitFound_AnEventOnlyWhenAsked()
    {
        var result = new CleanupResult([new ContainerFinalState("c-boots", ContainerRole.Service, "boots", "exited", 3, 0)]);

        WorkflowStatus s = T.ServicesRemoved(ReadyService(), result, T0, exitFoundIsEvent: true);

        WorkflowEvent exited = Assert.Single(s.Events, e => e.Kind == WorkflowEventKind.ServiceExited);
        Assert.Equal(("boots", "exited with code 3"), (exited.Service, exited.Message));
        Assert.Equal((ServiceState.REMOVED, 3L, "exited with code 3"), (Svc(s).State, Svc(s).ExitCode, Svc(s).Reason));
        // Before revision 5 an inspect alongside the last action saw such an exit; a running one stopped by the cleanup is none.
        Assert.DoesNotContain(T.ServicesRemoved(ReadyService(), result, T0).Events, e => e.Kind == WorkflowEventKind.ServiceExited);
        var stopped = new CleanupResult([new ContainerFinalState("c-boots", ContainerRole.Service, "boots", "running", null, 0)]);
        Assert.DoesNotContain(T.ServicesRemoved(ReadyService(), stopped, T0, exitFoundIsEvent: true).Events, e => e.Kind == WorkflowEventKind.ServiceExited);
    }

    [Fact]
    public void AttemptStarted_ClearsEarlierAttempt_AndIsCurrent()
    {
        WorkflowStatus s = T.TaskStarted(T.Running(ReadyService(), T0), "t1");
        Assert.Equal(WorkflowState.RUNNING, s.State);
        Assert.Equal(ActionState.RUNNING, s.Tasks[0].State);
        s = T.AttemptRecorded(T.AttemptStarted(s, "t1", "a1", 1, T0), "t1", "a1", 1, T.AttemptEnded(Action("a1"), Exited(1), T0, T0));
        s = T.AttemptStarted(s, "t1", "a1", 2, T0.AddSeconds(9));

        ActionStatus a = s.Action("t1", "a1")!;
        Assert.Equal((ActionState.RUNNING, 2, T0.AddSeconds(9)), (a.State, a.Attempt, a.StartedAt));
        Assert.Null(a.ExitCode);
        Assert.Null(a.Message);
        Assert.Equal(("t1", "a1"), (s.CurrentTask, s.CurrentAction));
    }

    [Fact]
    public void ContainerStarted_EventNamesAttemptAfterTheFirst()
    {
        WorkflowStatus s = T.ContainerStarted(Sample(), "t1", "a1", 1, "c1", T0);
        Assert.Equal("started in c1", s.Events[^1].Message);
        s = T.ContainerStarted(s, "t1", "a1", 2, "c2", T0);
        Assert.Equal("attempt 2 started in c2", s.Events[^1].Message);
        Assert.Equal("c2", s.Action("t1", "a1")!.Container);
    }

    [Theory]
    [InlineData(ActionRunState.Exited, 0L, ActionState.SUCCESS, null)]
    [InlineData(ActionRunState.Exited, 3L, ActionState.FAILED, "exited with code 3")]
    [InlineData(ActionRunState.Killed, 137L, ActionState.TIMEOUT, "killed after its timeout of 5 s")]
    public void AttemptEnded_OutcomeByHowTheContainerEnded(ActionRunState run, long code, ActionState state, string? message)
    {
        var waited = new ActionWaitResult(run, code, T0.AddSeconds(1), T0.AddSeconds(3), []);
        T.AttemptEnd end = T.AttemptEnded(Action("a1", timeout: 5), waited, T0, T0.AddSeconds(10));
        Assert.Equal((state, message, T0.AddSeconds(1), T0.AddSeconds(3)), (end.State, end.Message, end.StartedAt, end.FinishedAt));
    }

    [Fact]
    public void AttemptEnded_TimesMissing_FallBackToStartAndNow()
    {
        T.AttemptEnd end = T.AttemptEnded(Action("a1"), new ActionWaitResult(ActionRunState.Exited, 0, null, null, []), T0, T0.AddSeconds(2));
        Assert.Equal((T0, T0.AddSeconds(2)), (end.StartedAt, end.FinishedAt));
    }

    [Fact]
    public void AttemptRecorded_SuccessAndRetriedFailure_EventsWorded()
    {
        WorkflowStatus s = T.AttemptRecorded(Sample(), "t1", "a1", 1, T.AttemptEnded(Action("a1"), Exited(0), T0, T0));
        ActionStatus a = s.Action("t1", "a1")!;
        Assert.Equal((ActionState.SUCCESS, 2.0, 0L), (a.State, a.Seconds, a.ExitCode));
        Assert.Equal((WorkflowEventKind.ActionSucceeded, "succeeded in 2 s"), (s.Events[^1].Kind, s.Events[^1].Message));

        s = T.AttemptRecorded(s, "t1", "a2", 2, T.AttemptNotRun("could not start: no image", T0, T0));
        Assert.Equal((WorkflowEventKind.ActionFailed, "attempt 2: could not start: no image"), (s.Events[^1].Kind, s.Events[^1].Message));
        Assert.Equal(ActionState.FAILED, s.Action("t1", "a2")!.State);
    }

    [Fact]
    public void Retrying_AndBackoff_DoubleUpToTheCap()
    {
        WorkflowStatus s = T.Retrying(Sample(), "t1", "a1", 1, 3, ActionState.TIMEOUT, TimeSpan.FromSeconds(1), T0);
        Assert.Equal("attempt 1 of 3 timed out; retrying in 1 s", s.Events[^1].Message);

        var settings = new WorkflowSettings { RetryBackoff = TimeSpan.FromSeconds(1), MaxRetryBackoff = TimeSpan.FromSeconds(5) };
        Assert.Equal([1, 2, 4, 5, 5], new[] { 1, 2, 3, 4, 40 }.Select(a => T.Backoff(settings, a).TotalSeconds));
    }

    [Fact]
    public void Handler_StartedThenEnded_RecordedWithEvent()
    {
        WorkflowStatus s = T.HandlerStarted(Sample(), "t1", "a1", HandlerResult.OnFailure, T0);
        Assert.Equal(ActionState.RUNNING, s.Action("t1", "a1")!.Handler!.State);

        HandlerResult result = T.HandlerEnded(HandlerResult.OnFailure, Action("a1"), Exited(0), T0, T0);
        Assert.Equal((ActionState.SUCCESS, "exited with code 0"), (result.State, result.Message));
        s = T.HandlerRecorded(s, "t1", "a1", result, T0);
        Assert.Equal("on-failure exited with code 0", s.Events[^1].Message);

        HandlerResult killed = T.HandlerEnded(HandlerResult.OnTimeout, Action("a1", timeout: 5), new ActionWaitResult(ActionRunState.Killed, 137, null, null, []), T0, T0);
        Assert.Equal((ActionState.TIMEOUT, "killed after 5 s"), (killed.State, killed.Message));
        Assert.Equal("could not run: gone", T.HandlerNotRun(HandlerResult.OnTimeout, "gone", T0, T0).Message);
    }

    [Fact]
    public void ActionOutcome_TimeoutOrFailure()
    {
        ActionStatus a = ActionStatus.Pending("a1") with { State = ActionState.TIMEOUT, Message = "m" };
        Assert.Equal(new WorkflowOutcome(WorkflowState.TIMEOUT, "action t1/a1 timed out: m"), T.ActionOutcome("t1", "a1", a));
        Assert.Equal(WorkflowState.FAILED, T.ActionOutcome("t1", "a1", a with { State = ActionState.FAILED }).State);
    }

    [Theory]
    [InlineData(WorkflowState.TIMEOUT, ActionState.TIMEOUT, WorkflowEventKind.ActionTimedOut)]
    [InlineData(WorkflowState.CANCELLED, ActionState.CANCELLED, WorkflowEventKind.ActionFailed)]
    [InlineData(WorkflowState.FAILED, ActionState.FAILED, WorkflowEventKind.ActionFailed)]
    public void Finish_Interrupted_RunningKilledPendingSkipped(WorkflowState outcome, ActionState interrupted, WorkflowEventKind killedEvent)
    {
        WorkflowStatus s = T.AttemptStarted(T.TaskStarted(T.Running(ReadyService(), T0), "t1"), "t1", "a1", 1, T0);
        s = T.Finish(s, new WorkflowOutcome(outcome, "why"), T0.AddSeconds(4));

        Assert.Equal(outcome, s.State);
        Assert.Equal((interrupted, "killed: why", 4.0), (s.Action("t1", "a1")!.State, s.Action("t1", "a1")!.Message, s.Action("t1", "a1")!.Seconds));
        Assert.Equal(ActionState.SKIPPED, s.Action("t1", "a2")!.State);
        Assert.Equal((interrupted, ActionState.SKIPPED), (s.Tasks[0].State, s.Tasks[1].State));
        Assert.Equal(killedEvent, s.Events[^2].Kind);
        Assert.Equal((WorkflowEventKind.WorkflowFinished, $"{outcome}; why"), (s.Events[^1].Kind, s.Events[^1].Message));
        Assert.Equal(("t1", "a1"), (s.CurrentTask, s.CurrentAction));
    }

    [Fact]
    public void Finish_Success_ClearsCurrent_NotStartedServiceRemoved_CleanupMessageKept()
    {
        WorkflowStatus s = T.CleanupFailed(T.TaskStarted(Sample(), "t1"), "engine gone");
        s = T.Finish(s, new WorkflowOutcome(WorkflowState.SUCCESS, null), T0);
        Assert.Equal((null, null), (s.CurrentTask, s.CurrentAction));
        Assert.Equal(ActionState.SUCCESS, s.Tasks[0].State);
        Assert.Equal((ServiceState.REMOVED, "not started"), (Svc(s).State, Svc(s).Reason));
        Assert.Equal("cleanup failed: engine gone", s.Message);
        Assert.Equal(T0, s.FinishedAt);
    }

    [Theory]
    [InlineData(null, "exited with code ?")]
    [InlineData(1L, "exited with code 1")]
    [InlineData(130L, "exited with code 130 (killed by signal 2)")]
    [InlineData(200L, "exited with code 200")]
    public void ExitMessage_NamesTheSignal(long? code, string expected) => Assert.Equal(expected, T.ExitMessage(code));

    [Fact]
    public void ExitMessage_TermAndKill_SayFromOutside()
    {
        Assert.StartsWith("exited with code 143 (SIGTERM: stopped from outside", T.ExitMessage(143), StringComparison.Ordinal);
        Assert.StartsWith("exited with code 137 (SIGKILL: killed from outside", T.ExitMessage(137), StringComparison.Ordinal);
    }
}
