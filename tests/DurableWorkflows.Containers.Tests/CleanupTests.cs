using DurableWorkflows.Core.Contracts;

namespace DurableWorkflows.Containers.Tests;

public sealed class CleanupTests : DockerTestBase
{
    [Fact(Timeout = 60_000)]
    public async Task CleanupWorkflow_ServiceAndActions_RemovesEveryLabelledContainer()
    {
        var wf = NewWorkflowId();
        var other = NewWorkflowId();
        var service = Service("db", ["sh", "-c", "echo db-up; exec sleep 300"]);
        await Engine.StartServiceAsync(new StartServiceInput(wf, service), Ct);
        await RunActionAsync(wf, Task(), Action("done", "echo finished; exit 4"));
        await Engine.StartActionAsync(new StartActionInput(wf, Task(), Action("busy", "exec sleep 300"), 1, ContainerRole.Action), Ct);
        var bystander = await Engine.StartActionAsync(new StartActionInput(other, Task(), Action("busy", "exec sleep 300"), 1, ContainerRole.Action), Ct);

        var result = await Engine.CleanupWorkflowAsync(new CleanupWorkflowInput(wf, ["unmapped-worker"]), Ct);

        Assert.Empty(await ContainersOfAsync(wf));
        Assert.Equal(3, result.Containers.Count);
        var db = Assert.Single(result.Containers, c => c.Role == ContainerRole.Service);
        Assert.Equal("db", db.ServiceName);
        Assert.Equal("running", db.State);
        Assert.Equal((0, null), (db.Restarts, db.ExitCode));
        var done = Assert.Single(result.Containers, c => c.ContainerName == ContainerNames.Action(wf, "task", "done", 1, ContainerRole.Action));
        Assert.Equal("exited", done.State);
        Assert.Equal(4, done.ExitCode);
        Assert.Contains("db-up", Assert.Single(Engine.Logs.Read(wf, "db")).Text, StringComparison.Ordinal);

        var stillThere = Assert.Single(await ContainersOfAsync(other));
        Assert.Equal(bystander.ContainerId, stillThere.ID);
    }

    [Fact(Timeout = 60_000)]
    public async Task CleanupWorkflow_EndedActionSavedWhenItEnded_KeepsThatCopyAndSavesTheRunningOne()
    {
        var wf = NewWorkflowId();
        await RunActionAsync(wf, Task(), Action("done", "echo finished"));
        await Engine.StartActionAsync(new StartActionInput(wf, Task(), Action("busy", "echo working; exec sleep 300"), 1, ContainerRole.Action), Ct);
        var donePath = Engine.Logs.PathOf(wf, ContainerNames.Action(wf, "task", "done", 1, ContainerRole.Action));
        var busyName = ContainerNames.Action(wf, "task", "busy", 1, ContainerRole.Action);
        // The copy saved at the action's end is the one kept: a cleanup that read its output again would replace it.
        await File.WriteAllTextAsync(donePath, "saved when it ended\n", Ct);
        while (!(await Engine.GetLogsAsync(wf, "task", "busy", null, Ct)).Any(l => l.Text.Contains("working", StringComparison.Ordinal)))
        {
            await System.Threading.Tasks.Task.Delay(50, Ct);
        }

        var result = await Engine.CleanupWorkflowAsync(new CleanupWorkflowInput(wf, []), Ct);

        Assert.Equal(2, result.Containers.Count);
        Assert.Empty(await ContainersOfAsync(wf));
        Assert.Equal("saved when it ended\n", await File.ReadAllTextAsync(donePath, Ct));
        Assert.Equal("working\n", await File.ReadAllTextAsync(Engine.Logs.PathOf(wf, busyName), Ct));
    }

    [Fact(Timeout = 60_000)]
    public async Task CleanupWorkflow_CalledTwice_SecondFindsNothing()
    {
        var wf = NewWorkflowId();
        await Engine.StartActionAsync(new StartActionInput(wf, Task(), Action("busy", "exec sleep 300"), 1, ContainerRole.Action), Ct);

        var first = await Engine.CleanupWorkflowAsync(new CleanupWorkflowInput(wf, []), Ct);
        var second = await Engine.CleanupWorkflowAsync(new CleanupWorkflowInput(wf, []), Ct);

        Assert.Single(first.Containers);
        Assert.Empty(second.Containers);
    }

    [Fact(Timeout = 60_000)]
    public async Task GetLogs_RunningAndSaved_ReadsBoth()
    {
        var wf = NewWorkflowId();
        await RunActionAsync(wf, Task("t"), Action("a", "echo saved-line"));
        var service = Service("svc", ["sh", "-c", "echo live-line; exec sleep 300"]);
        var started = await Engine.StartServiceAsync(new StartServiceInput(wf, service), Ct);
        await AwaitServiceAsync(wf, service, started.ContainerId);

        var action = Assert.Single(await Engine.GetLogsAsync(wf, "t", "a", null, Ct));
        Assert.Equal("saved-line\n", action.Text);
        var live = Assert.Single(await Engine.GetLogsAsync(wf, null, null, "svc", Ct));
        while (!live.Text.Contains("live-line", StringComparison.Ordinal))
        {
            await System.Threading.Tasks.Task.Delay(50, Ct);
            live = Assert.Single(await Engine.GetLogsAsync(wf, null, null, "svc", Ct));
        }

        Assert.Equal(started.ContainerName, live.ContainerName);
    }

    [Fact(Timeout = 60_000)]
    public async Task Reap_InactiveWorkflow_RemovesOnlyItsContainers()
    {
        var orphan = NewWorkflowId();
        var active = NewWorkflowId();
        await Engine.StartActionAsync(new StartActionInput(orphan, Task(), Action("left", "exec sleep 300"), 1, ContainerRole.Action), Ct);
        await Engine.StartServiceAsync(new StartServiceInput(orphan, Service("svc", ["sleep", "300"])), Ct);
        var kept = await Engine.StartActionAsync(new StartActionInput(active, Task(), Action("kept", "exec sleep 300"), 1, ContainerRole.Action), Ct);
        var otherHub = NewEngine(o => o.TaskHub = TestTaskHub + "-other");
        var notOurs = NewWorkflowId();
        var foreign = await otherHub.StartActionAsync(new StartActionInput(notOurs, Task(), Action("foreign", "exec sleep 300"), 1, ContainerRole.Action), Ct);
        var reaper = new ContainerReaper(Engine, new OnlyInactive(orphan, notOurs));

        var removed = await reaper.ReapAsync(Ct);

        Assert.Empty(await ContainersOfAsync(orphan));
        Assert.Equal(2, removed.Count);
        Assert.Equal(kept.ContainerId, Assert.Single(await ContainersOfAsync(active)).ID);
        Assert.Equal(foreign.ContainerId, Assert.Single(await ContainersOfAsync(notOurs)).ID);
    }

    [Fact(Timeout = 60_000)]
    public async Task Reap_EndpointOnlyASourceNames_IsSweptToo()
    {
        var orphan = NewWorkflowId();
        var left = await Engine.StartActionAsync(new StartActionInput(orphan, Task(), Action("left", "exec sleep 300"), 1, ContainerRole.Action), Ct);
        // An engine whose host.json knows only an endpoint that does not exist: the real one comes from the source alone.
        var elsewhere = NewEngine(o => o.DefaultEndpoint = "unix:///tmp/dwf-no-such-dir/docker.sock");

        var blind = await new ContainerReaper(elsewhere, new OnlyInactive(orphan)).ReapAsync(Ct);
        Assert.Single(await ContainersOfAsync(orphan));
        var removed = await new ContainerReaper(elsewhere, new OnlyInactive(orphan), sources: [new Endpoints(Engine.Endpoints.DefaultUri)]).ReapAsync(Ct);

        Assert.Empty(blind);
        Assert.Equal(left.ContainerName, Assert.Single(removed).ContainerName);
        Assert.Empty(await ContainersOfAsync(orphan));
    }

    private sealed class Endpoints(params string[] uris) : IDockerEndpointSource
    {
        public Task<IReadOnlyCollection<string>> EndpointsAsync(CancellationToken cancellationToken = default) =>
            System.Threading.Tasks.Task.FromResult<IReadOnlyCollection<string>>(uris);
    }

    /// <summary>Every workflow is active except the given ones: the reaper never touches other tests' containers.</summary>
    private sealed class OnlyInactive(params string[] inactive) : IWorkflowLiveness
    {
        public Task<bool> IsActiveAsync(string workflowId, CancellationToken cancellationToken = default) =>
            System.Threading.Tasks.Task.FromResult(!inactive.Contains(workflowId));
    }
}
