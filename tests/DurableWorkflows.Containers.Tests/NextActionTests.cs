using DurableWorkflows.Core.Contracts;

namespace DurableWorkflows.Containers.Tests;

/// <summary>An action's wait that carries the next action's start (settings revision 4): made the moment it exits 0, never otherwise.</summary>
public sealed class NextActionTests : DockerTestBase
{
    private StartActionInput Input(string wf, string name, string shell) => new(wf, Task(), Action(name, shell), 1, ContainerRole.Action);

    [Fact(Timeout = 60_000)]
    public async Task WaitAction_ExitsZeroWithThen_StartsTheNextAfterItsEndAndOnceOnly()
    {
        var wf = NewWorkflowId();
        var first = await Engine.StartActionAsync(Input(wf, "first", "sleep 0.3; echo one"), Ct);
        var then = Input(wf, "second", "echo two; exec sleep 30");
        var wait = new WaitActionInput(wf, "", first.ContainerId, null, TimeSpan.FromSeconds(20), Then: then);

        var ended = await Engine.WaitActionAsync(wait, Ct);

        Assert.Equal((ActionRunState.Exited, 0L), (ended.State, ended.ExitCode));
        Assert.Contains("one", ended.LogTail);
        var next = Assert.IsType<ActionStarted>(ended.Next);
        Assert.Equal(ContainerNames.Action(wf, "task", "second", 1, ContainerRole.Action), next.ContainerName);
        var second = await Engine.Endpoints.Default.Client.Containers.InspectContainerAsync(next.ContainerId, Ct);
        Assert.True(second.State.Running);
        Assert.True(DockerStates.ParseTime(second.State.StartedAt) >= ended.FinishedAt, "the next action started before this one ended");

        // Delivered again (the runtime may): the next action is found as it is, not started a second time.
        var again = await Engine.WaitActionAsync(wait, Ct);
        Assert.Equal((next.ContainerId, true), (again.Next?.ContainerId, again.Next?.AlreadyExisted));
        var still = await Engine.Endpoints.Default.Client.Containers.InspectContainerAsync(next.ContainerId, Ct);
        Assert.Equal(second.State.StartedAt, still.State.StartedAt);
        Assert.Equal(0, (int)still.RestartCount);
    }

    [Fact(Timeout = 60_000)]
    public async Task StartAction_WithWaitForAndThen_ShortActionStartsTheNext()
    {
        var wf = NewWorkflowId();
        var input = Input(wf, "quick", "echo quick") with { WaitFor = TimeSpan.FromSeconds(20), Then = Input(wf, "after", "exec sleep 30") };

        var started = await Engine.StartActionAsync(input, Ct);

        var waited = Assert.IsType<ActionWaitResult>(started.Waited);
        Assert.Equal(0L, waited.ExitCode);
        var next = Assert.IsType<ActionStarted>(waited.Next);
        Assert.Null(next.Waited);
        Assert.Equal(2, (await ContainersOfAsync(wf)).Count);
    }

    [Theory(Timeout = 60_000)]
    [InlineData("sleep 0.2; exit 3", 30)]
    [InlineData("exec sleep 300", 1)]
    public async Task WaitAction_FailsOrIsKilledWithThen_NextNeverCreated(string shell, int deadlineSeconds)
    {
        var wf = NewWorkflowId();
        var first = await Engine.StartActionAsync(Input(wf, "first", shell), Ct);
        var wait = new WaitActionInput(wf, "", first.ContainerId, DateTimeOffset.UtcNow.AddSeconds(deadlineSeconds), TimeSpan.FromSeconds(20),
            Then: Input(wf, "second", "echo never"));

        var ended = await Engine.WaitActionAsync(wait, Ct);

        Assert.NotEqual(0L, ended.ExitCode);
        Assert.Null(ended.Next);
        Assert.Equal([first.ContainerName], (await ContainersOfAsync(wf)).Select(c => c.Names[0].TrimStart('/')));
    }

    [Fact(Timeout = 60_000)]
    public async Task WaitAction_NextCannotStart_EndReportedWithoutIt()
    {
        var wf = NewWorkflowId();
        var first = await Engine.StartActionAsync(Input(wf, "first", "echo one"), Ct);
        var broken = Input(wf, "second", "true") with { Action = Action("second", "true", image: "dwf-no-such-image:never") };

        var ended = await Engine.WaitActionAsync(new WaitActionInput(wf, "", first.ContainerId, null, TimeSpan.FromSeconds(20), Then: broken), Ct);

        Assert.Equal((ActionRunState.Exited, 0L), (ended.State, ended.ExitCode));
        Assert.Null(ended.Next);
    }

    [Fact(Timeout = 60_000)]
    public async Task WaitAction_ExitsZeroWithThenPrepareAndRemoveEnded_CreatesTheOneAfterAndRemovesTheOneBefore()
    {
        var wf = NewWorkflowId();
        var first = await Engine.StartActionAsync(Input(wf, "first", "echo from-first") with { WaitFor = TimeSpan.FromSeconds(20) }, Ct);
        var second = await Engine.StartActionAsync(Input(wf, "second", "sleep 0.3"), Ct);
        var wait = new WaitActionInput(wf, "", second.ContainerId, null, TimeSpan.FromSeconds(20),
            Then: Input(wf, "third", "exec sleep 30"), RemoveEnded: first.ContainerId, ThenPrepare: Input(wf, "fourth", "true"));

        var ended = await Engine.WaitActionAsync(wait, Ct);

        Assert.NotNull(ended.Next);
        var left = (await ContainersOfAsync(wf)).ToDictionary(c => c.Labels[ContainerLabels.Action], c => c.State);
        // The one after is prepared started ahead: its waiter runs until its own start releases it.
        Assert.Equal(new Dictionary<string, string> { ["second"] = "exited", ["third"] = "running", ["fourth"] = "running" }, left);
        var log = Assert.Single(await Engine.GetLogsAsync(wf, "task", "first", null, Ct));
        Assert.Contains("from-first", log.Text, StringComparison.Ordinal);
        // Delivered again: the container already gone is fine, the others are found as they are.
        Assert.Equal(ended.Next!.ContainerId, (await Engine.WaitActionAsync(wait, Ct)).Next?.ContainerId);
    }

    [Fact(Timeout = 60_000)]
    public async Task WaitAction_FailsWithRemoveEnded_LeavesItForTheCleanup()
    {
        var wf = NewWorkflowId();
        var first = await Engine.StartActionAsync(Input(wf, "first", "true") with { WaitFor = TimeSpan.FromSeconds(20) }, Ct);
        var second = await Engine.StartActionAsync(Input(wf, "second", "exit 4"), Ct);

        var ended = await Engine.WaitActionAsync(new WaitActionInput(wf, "", second.ContainerId, null, TimeSpan.FromSeconds(20),
            Then: Input(wf, "third", "true"), RemoveEnded: first.ContainerId, ThenPrepare: Input(wf, "fourth", "true")), Ct);

        Assert.Equal(4L, ended.ExitCode);
        Assert.Equal(["first", "second"], (await ContainersOfAsync(wf)).Select(c => c.Labels[ContainerLabels.Action]).Order());
    }

    [Fact(Timeout = 60_000)]
    public async Task PrepareAndStart_AtOnce_BothFindOneContainer()
    {
        // Revision 4 creates every action's container ahead, so a start may meet a create of the same name under way.
        var wf = NewWorkflowId();
        for (var i = 0; i < 8; i++)
        {
            var input = Input(wf, $"raced{i}", "true");
            var prepare = Engine.PrepareActionAsync(input, Ct);
            var start = Engine.StartActionAsync(input, Ct);

            var prepared = await prepare;
            var started = await start;

            Assert.Null(prepared.Error);
            Assert.Equal(prepared.ContainerName, started.ContainerName);
        }

        Assert.Equal(8, (await ContainersOfAsync(wf)).Count);
    }
}
