using DurableWorkflows.Core.Contracts;
using DurableWorkflows.Core.Templates;
using DurableWorkflows.Orchestrations.Tests.Infrastructure;
using static DurableWorkflows.Orchestrations.Tests.Infrastructure.Workflows;

namespace DurableWorkflows.Orchestrations.Tests;

/// <summary>
/// Settings revision 4: an action's wait starts the next action the moment it exits 0; revision 6: several actions'
/// containers prepared ahead.
/// </summary>
[Collection(OrchestrationCollection.Name)]
public sealed class WorkflowOrchestratorChainTests(OrchestrationHost host)
{
    private const int TestTimeout = 60_000;

    [Fact(Timeout = TestTimeout)]
    public async Task RunAsync_ActionsExitZero_EachNextStartedByTheWaitBeforeIt()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(45));
        string id = NewId("chain");
        WorkflowScript script = host.Engine.Script(id);
        // a2 outlives the start call's first wait (WaitAction then waits for it); its first attempt fails.
        script.Actions["t1/a2"] = attempt => attempt == 1 ? FakeRun.Exit(1) : new FakeRun(0, RunsFor: TimeSpan.FromMilliseconds(300));
        WorkflowDefinition definition = Workflow(600, [Service("svc")], Task("t1", Action("a1"), Action("a2", retries: 1)), Task("t2", Action("b1")));

        // Revision 5: one action's container prepared ahead (revision 6 prepares more, below).
        WorkflowStatus status = await RunAsync(host, id, definition, cts.Token, Fast with { Revision = 5 });

        Assert.Equal(WorkflowState.SUCCESS, status.State);
        Assert.All(status.Tasks.SelectMany(t => t.Actions), a => Assert.Equal(ActionState.SUCCESS, a.State));
        Assert.Equal(2, status.Action("t1", "a2")!.Attempt);
        IReadOnlyList<FakeCall> calls = host.Engine.Calls(id);
        var starts = calls.Where(c => c.Activity == ActivityNames.StartAction).Select(c => (StartActionInput)c.Input).ToList();
        // a1 by the run, carrying a2's first attempt; a2's first attempt by a1's wait (no wait of its own, nothing after it);
        // a2's retry by the run, carrying b1; b1 by the wait of a2's second attempt.
        Assert.Equal(["a1/1", "a2/1", "a2/2", "b1/1"], starts.Select(s => $"{s.Action.Name}/{s.Attempt}"));
        Assert.Equal(("a2", 1, "b1"), (starts[0].Then?.Action.Name, starts[0].Then?.Attempt, starts[0].ThenPrepare?.Action.Name));
        Assert.Equal((null, null), (starts[1].WaitFor, starts[1].Then));
        Assert.Equal("b1", starts[2].Then?.Action.Name);
        Assert.Equal((null, null), (starts[3].WaitFor, starts[3].Then));
        var waits = calls.Where(c => c.Activity == ActivityNames.WaitAction).Select(c => (WaitActionInput)c.Input).ToList();
        // a2's first attempt was started by a1's wait: its wait carries b1's start and a1's ended container to remove along
        // with it (it fails, so neither happens). a2's retry (started by the run) waits carrying b1 too; b1, the last,
        // carries nothing: the cleanup removes what is left.
        Assert.Equal(("b1", ContainerOf(id, "t1", "a1", 1)), (waits[0].Then?.Action.Name, waits[0].RemoveEnded));
        Assert.Contains(waits, w => w.ContainerId == ContainerOf(id, "t1", "a2", 2) && w.Then?.Action.Name == "b1" && w.RemoveEnded is null);
        Assert.Equal((null, null), (waits[^1].Then, waits[^1].RemoveEnded));

        // The status tells them in order all the same: each start after the end of the one before it.
        var events = status.Events.Where(e => e.Kind is WorkflowEventKind.ActionStarted or WorkflowEventKind.ActionSucceeded or WorkflowEventKind.ActionFailed)
            .Select(e => $"{e.Kind}:{e.Action}").ToList();
        Assert.Equal(
            ["ActionStarted:a1", "ActionSucceeded:a1", "ActionStarted:a2", "ActionFailed:a2", "ActionStarted:a2", "ActionSucceeded:a2", "ActionStarted:b1", "ActionSucceeded:b1"],
            events);
        Assert.Empty(host.Engine.ContainersLeft(id));
    }

    [Fact(Timeout = TestTimeout)]
    public async Task RunAsync_RevisionSix_PreparesActionsAheadFromTheStartAndKeepsThemAhead()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(45));
        string id = NewId("ahead");
        WorkflowScript script = host.Engine.Script(id);
        script.Services["svc"] = new FakeService(PendingPolls: 2);
        WorkflowDefinition definition = Workflow(600, [Service("svc")],
            Task("t1", Action("a1"), Action("a2"), Action("a3")), Task("t2", Action("b1"), Action("b2"), Action("b3"), Action("b4")));

        WorkflowStatus status = await RunAsync(host, id, definition, cts.Token, Fast with { Revision = 6, ActionsAhead = 3 });

        Assert.Equal(WorkflowState.SUCCESS, status.State);
        IReadOnlyList<FakeCall> calls = host.Engine.Calls(id);
        long firstStart = calls.First(c => c.Activity == ActivityNames.StartAction).Sequence;
        var prepares = calls.Where(c => c.Activity == ActivityNames.PrepareAction).ToList();
        // The first three while the service gets ready, before any action starts; the fourth as the first one starts;
        // each later one by the wait that starts the action three before it.
        var beforeFirstStart = prepares.Where(c => c.Sequence < firstStart).Select(c => ((StartActionInput)c.Input).Action.Name).ToList();
        Assert.Subset(new HashSet<string> { "a1", "a2", "a3", "b1" }, beforeFirstStart.ToHashSet());
        Assert.Superset(new HashSet<string> { "a1", "a2", "a3" }, beforeFirstStart.ToHashSet());
        Assert.Equal(["a1", "a2", "a3", "b1", "b2", "b3", "b4"], prepares.Select(c => ((StartActionInput)c.Input).Action.Name).Distinct().Order());
        var starts = calls.Where(c => c.Activity == ActivityNames.StartAction).Select(c => (StartActionInput)c.Input).ToList();
        Assert.Equal(("a2", "b2"), (starts[0].Then?.Action.Name, starts[0].ThenPrepare?.Action.Name));
        Assert.Equal(Enumerable.Repeat(ActionState.SUCCESS, 7), status.Tasks.SelectMany(t => t.Actions).Select(a => a.State));
        Assert.Empty(host.Engine.ContainersLeft(id));
    }

    private static string ContainerOf(string id, string task, string action, int attempt) => $"dwf-{id}-action-{task}-{action}-{attempt}".ToLowerInvariant();

    [Fact(Timeout = TestTimeout)]
    public async Task RunAsync_RevisionThree_NoWaitCarriesTheNextStart()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(45));
        string id = NewId("nochain");
        WorkflowDefinition definition = Workflow(600, [], Task("t1", Action("a1"), Action("a2")));

        WorkflowStatus status = await RunAsync(host, id, definition, cts.Token, Fast with { Revision = 3 });

        Assert.Equal(WorkflowState.SUCCESS, status.State);
        IReadOnlyList<FakeCall> calls = host.Engine.Calls(id);
        var starts = calls.Where(c => c.Activity == ActivityNames.StartAction).Select(c => (StartActionInput)c.Input).ToList();
        Assert.Equal(["a1", "a2"], starts.Select(s => s.Action.Name));
        Assert.All(starts, s => Assert.Null(s.Then));
        Assert.All(starts, s => Assert.NotNull(s.WaitFor));
        Assert.All(calls.Where(c => c.Activity == ActivityNames.WaitAction), c => Assert.Null(((WaitActionInput)c.Input).RemoveEnded));
    }
}
