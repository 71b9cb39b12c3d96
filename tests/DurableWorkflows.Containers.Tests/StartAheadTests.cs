using Docker.DotNet.Models;
using DurableWorkflows.Core.Contracts;
using DurableWorkflows.Core.Templates;

namespace DurableWorkflows.Containers.Tests;

/// <summary>
/// Actions' containers started ahead (Docker:StartAhead): held by a waiter until their start releases them, run once
/// whoever holds them and whatever became of the holder.
/// </summary>
public sealed class StartAheadTests : DockerTestBase
{
    [Fact(Timeout = 60_000)]
    public async Task PrepareAction_StartsTheWaiter_TheStartReleasesItIntoTheActionOnce()
    {
        var wf = NewWorkflowId();
        var input = new StartActionInput(wf, Task(), Action("ahead", "echo ran >> /workflow/runs; echo out; exit 3"), 1, ContainerRole.Action);

        var prepared = await Engine.PrepareActionAsync(input, Ct);
        var preparedAgain = await Engine.PrepareActionAsync(input, Ct);
        await System.Threading.Tasks.Task.Delay(300, Ct);
        var before = await InspectAsync(prepared.ContainerName);
        var top = await Engine.Endpoints.Default.Client.Containers.ListProcessesAsync(before.ID, new ContainerListProcessesParameters(), Ct);
        var runsFile = Path.Combine(Engine.WorkflowDirectory(wf), "runs");
        var ranBeforeStart = File.Exists(runsFile);
        var startCall = DateTimeOffset.UtcNow;
        var started = await Engine.StartActionAsync(input with { WaitFor = TimeSpan.FromSeconds(20) }, Ct);

        Assert.True(prepared.Created);
        Assert.False(preparedAgain.Created);
        Assert.Equal("running", before.State.Status);
        Assert.Equal("true", before.Config.Labels[ContainerLabels.Held]);
        Assert.Contains(top.Processes, p => string.Join(" ", p).Contains(HeldWaiterName, StringComparison.Ordinal));
        Assert.False(ranBeforeStart);
        Assert.Equal(before.ID, started.ContainerId);
        Assert.True(started.StartedAt >= startCall, $"started {started.StartedAt:O}, the call made {startCall:O}");
        var ended = Assert.IsType<ActionWaitResult>(started.Waited);
        Assert.Equal(ActionRunState.Exited, ended.State);
        Assert.Equal(3, ended.ExitCode);
        // Docker's start of the container was the waiter's: the action's start is the release the start call reported.
        Assert.Null(ended.StartedAt);
        Assert.Equal(["out"], ended.LogTail);
        Assert.Equal(["ran"], File.ReadAllLines(runsFile));
        Assert.Single(await ContainersOfAsync(wf));
    }

    [Fact(Timeout = 60_000)]
    public async Task PrepareAction_HolderGoes_WaiterEndsUnreleased_TheNextStartReplacesItAndRunsOnce()
    {
        var wf = NewWorkflowId();
        var input = new StartActionInput(wf, Task(), Action("orphan", "echo ran >> /workflow/runs"), 1, ContainerRole.Action);
        var holder = NewEngine();

        var prepared = await holder.PrepareActionAsync(input, Ct);
        var held = await InspectAsync(prepared.ContainerName);
        holder.Dispose();
        var waited = await Engine.Endpoints.Default.Client.Containers.WaitContainerAsync(held.ID, Ct);
        var log = await ContainerLogs.TailAsync(Engine.Endpoints.Default, held.ID, 5, Ct);
        var started = await Engine.StartActionAsync(input with { WaitFor = TimeSpan.FromSeconds(20) }, Ct);

        Assert.True(prepared.Created);
        Assert.Equal(125, waited.StatusCode);
        Assert.Equal(["dwf: this container was started ahead of its action and never released: the action did not run"], log);
        Assert.NotEqual(held.ID, started.ContainerId);
        Assert.Equal(0, Assert.IsType<ActionWaitResult>(started.Waited).ExitCode);
        Assert.Equal(["ran"], File.ReadAllLines(Path.Combine(Engine.WorkflowDirectory(wf), "runs")));
        Assert.Single(await ContainersOfAsync(wf));
    }

    [Fact(Timeout = 60_000)]
    public async Task StartAction_HeldByAnotherProcess_ReplacesTheWaiterAndRunsOnce()
    {
        var wf = NewWorkflowId();
        var input = new StartActionInput(wf, Task(), Action("elsewhere", "echo ran >> /workflow/runs"), 1, ContainerRole.Action);
        var holder = NewEngine();

        var prepared = await holder.PrepareActionAsync(input, Ct);
        var held = await InspectAsync(prepared.ContainerName);
        var started = await Engine.StartActionAsync(input with { WaitFor = TimeSpan.FromSeconds(20) }, Ct);
        var againByHolder = await holder.StartActionAsync(input with { WaitFor = TimeSpan.FromSeconds(20) }, Ct);

        Assert.Equal("running", held.State.Status);
        Assert.NotEqual(held.ID, started.ContainerId);
        Assert.Equal(0, Assert.IsType<ActionWaitResult>(started.Waited).ExitCode);
        // The holder's hold ended with its container: its own start later finds the action that ran, and does not run it again.
        Assert.Equal(started.ContainerId, againByHolder.ContainerId);
        Assert.True(againByHolder.AlreadyExisted);
        Assert.Equal(["ran"], File.ReadAllLines(Path.Combine(Engine.WorkflowDirectory(wf), "runs")));
        Assert.Single(await ContainersOfAsync(wf));
    }

    [Fact(Timeout = 60_000)]
    public async Task StartAction_ReleasedByItsHolder_AnotherProcessAdoptsItWithoutRunningItAgain()
    {
        var wf = NewWorkflowId();
        var input = new StartActionInput(wf, Task(), Action("adopted", "echo ran >> /workflow/runs; sleep 1"), 1, ContainerRole.Action);
        var holder = NewEngine();

        await holder.PrepareActionAsync(input, Ct);
        var released = await holder.StartActionAsync(input, Ct);
        await System.Threading.Tasks.Task.Delay(200, Ct);
        var foundElsewhere = await Engine.StartActionAsync(input with { WaitFor = TimeSpan.FromSeconds(20) }, Ct);

        Assert.Equal(released.ContainerId, foundElsewhere.ContainerId);
        Assert.True(foundElsewhere.AlreadyExisted);
        Assert.Equal(0, Assert.IsType<ActionWaitResult>(foundElsewhere.Waited).ExitCode);
        Assert.Equal(["ran"], File.ReadAllLines(Path.Combine(Engine.WorkflowDirectory(wf), "runs")));
    }

    [Fact(Timeout = 60_000)]
    public async Task PrepareAction_ImageWithoutAShell_CreatedToStartAtItsTurn()
    {
        var wf = NewWorkflowId();
        var action = new ActionDefinition("noshell", DockerFixture.NoShellImage, null, ["sh", "-c", "echo ran >> /workflow/runs"],
            new Dictionary<string, string>(), [], null, null, null, 0);
        var input = new StartActionInput(wf, Task(), action, 1, ContainerRole.Action);

        var prepared = await Engine.PrepareActionAsync(input, Ct);
        var before = await InspectAsync(prepared.ContainerName);
        var started = await Engine.StartActionAsync(input with { WaitFor = TimeSpan.FromSeconds(20) }, Ct);

        Assert.True(prepared.Created);
        Assert.Null(prepared.Error);
        Assert.Equal("created", before.State.Status);
        Assert.False(before.Config.Labels.ContainsKey(ContainerLabels.Held));
        Assert.Equal(0, Assert.IsType<ActionWaitResult>(started.Waited).ExitCode);
        Assert.Equal(["ran"], File.ReadAllLines(Path.Combine(Engine.WorkflowDirectory(wf), "runs")));
    }

    [Fact(Timeout = 60_000)]
    public async Task PrepareAction_ABindMountOfItsOwn_CreatedToStartAtItsTurn()
    {
        var wf = NewWorkflowId();
        var hostDir = Directory.CreateDirectory(Path.Combine(DataDirectory, "later")).FullName;
        var input = new StartActionInput(wf, Task(), Action("reads", "cat /later/file", [$"{hostDir}:/later"]), 1, ContainerRole.Action);

        var prepared = await Engine.PrepareActionAsync(input, Ct);
        var before = await InspectAsync(prepared.ContainerName);
        // What an earlier action would make there, after this one was prepared: seen, since its container starts now.
        File.WriteAllText(Path.Combine(hostDir, "file"), "made later\n");
        var started = await Engine.StartActionAsync(input with { WaitFor = TimeSpan.FromSeconds(20) }, Ct);

        Assert.Equal("created", before.State.Status);
        Assert.Equal(["made later"], Assert.IsType<ActionWaitResult>(started.Waited).LogTail);
    }

    [Fact]
    public void Held_OnlyWhatSeesTheHostAsAnEarlierActionLeftIt()
    {
        const string workflowMount = "/data/workflows/w:/workflow";
        var image = new ImageInspectResponse { Config = new Config { Entrypoint = ["/bin/tool"], Cmd = ["--help"] } };
        CreateContainerParameters Plain(bool privileged = false, IList<string>? cmd = null, params string[] binds) => new()
        {
            Name = "n",
            Image = "i",
            Cmd = cmd,
            Labels = new Dictionary<string, string>(),
            HostConfig = new HostConfig { Privileged = privileged, Binds = [workflowMount, .. binds] },
        };

        var held = ContainerParameters.Held(Plain(cmd: ["write", "disk"], binds: "cache:/cache"), image, workflowMount);

        Assert.NotNull(held);
        Assert.Equal(["/bin/sh", "-c"], held.Entrypoint.Take(2));
        Assert.Equal(["/bin/tool", "write", "disk"], held.Cmd);
        Assert.True(held.OpenStdin && held.StdinOnce);
        Assert.Equal("true", held.Labels[ContainerLabels.Held]);
        Assert.Equal(["/bin/tool", "--help"], ContainerParameters.Held(Plain(), image, workflowMount)!.Cmd);
        Assert.Null(ContainerParameters.Held(Plain(privileged: true), image, workflowMount));
        Assert.Null(ContainerParameters.Held(Plain(binds: "/dev:/dev"), image, workflowMount));
        Assert.Null(ContainerParameters.Held(Plain(), new ImageInspectResponse { Config = new Config() }, workflowMount));
    }

    [Fact(Timeout = 60_000)]
    public async Task StartAction_HeldLongerThanItsTimeout_ItsTimeoutCountsFromTheRelease()
    {
        var wf = NewWorkflowId();
        var action = Action("patient", "sleep 0.5; echo done") with { TimeoutSeconds = 1 };
        var input = new StartActionInput(wf, Task(), action, 1, ContainerRole.Action);

        await Engine.PrepareActionAsync(input, Ct);
        await System.Threading.Tasks.Task.Delay(1500, Ct);
        var started = await Engine.StartActionAsync(input with { WaitFor = TimeSpan.FromSeconds(20) }, Ct);

        var ended = Assert.IsType<ActionWaitResult>(started.Waited);
        Assert.Equal(ActionRunState.Exited, ended.State);
        Assert.Equal(0, ended.ExitCode);
        Assert.Equal(["done"], ended.LogTail);
    }

    [Fact(Timeout = 60_000)]
    public async Task PrepareAction_StartAheadOff_CreatedOnly()
    {
        var wf = NewWorkflowId();
        var engine = NewEngine(o => o.StartAhead = false);
        var input = new StartActionInput(wf, Task(), Action("plain", "true"), 1, ContainerRole.Action);

        var prepared = await engine.PrepareActionAsync(input, Ct);

        Assert.Equal("created", (await InspectAsync(prepared.ContainerName)).State.Status);
    }

    [Fact(Timeout = 60_000)]
    public async Task PrepareAction_AsManyUnderWayAsItsSlots_AnotherIsSkippedNotQueued()
    {
        var wf = NewWorkflowId();
        // A registry that takes the connection and never answers: these preparations pull until the pull's timeout.
        using var registry = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        registry.Start();
        var accepted = new List<System.Net.Sockets.Socket>();
        var accepting = System.Threading.Tasks.Task.Run(async () =>
        {
            while (true)
            {
                accepted.Add(await registry.AcceptSocketAsync(Ct));
            }
        }, Ct);
        var engine = NewEngine(o => o.PullTimeoutSeconds = 5);
        var hanging = $"127.0.0.1:{((System.Net.IPEndPoint)registry.LocalEndpoint).Port}/dwf-never:latest";
        var slow = Enumerable.Range(1, ContainerEngine.AheadSlots)
            .Select(i => engine.PrepareActionAsync(new StartActionInput(wf, Task(), Action($"pulls{i}", "true", image: hanging), 1, ContainerRole.Action), Ct))
            .ToList();
        await System.Threading.Tasks.Task.Delay(500, Ct);

        var skipped = await engine.PrepareActionAsync(new StartActionInput(wf, Task(), Action("skipped", "true"), 1, ContainerRole.Action), Ct);
        var slowDone = slow.Count(t => t.IsCompleted);
        var results = await System.Threading.Tasks.Task.WhenAll(slow);
        var after = await engine.PrepareActionAsync(new StartActionInput(wf, Task(), Action("after", "true"), 1, ContainerRole.Action), Ct);

        Assert.Equal(0, slowDone);
        Assert.False(skipped.Created);
        Assert.Null(skipped.Error);
        Assert.All(results, r => Assert.NotNull(r.Error));
        Assert.True(after.Created);
        Assert.Equal([after.ContainerName], (await ContainersOfAsync(wf)).Select(c => c.Names[0].TrimStart('/')));
        registry.Stop();
        foreach (var socket in accepted)
        {
            socket.Dispose();
        }

        await System.Threading.Tasks.Task.WhenAny(accepting);
    }

    [Fact(Timeout = 60_000)]
    public async Task Cleanup_HeldContainerNeverReleased_ItsWaiterEndsOnTheStopsSigterm()
    {
        var wf = NewWorkflowId();
        var engine = NewEngine(o => o.StopGracePeriodSeconds = 30);
        var prepared = await engine.PrepareActionAsync(new StartActionInput(wf, Task(), Action("never", "echo ran > /workflow/ran"), 1, ContainerRole.Action), Ct);
        var held = await InspectAsync(prepared.ContainerName);

        var stopped = Engine.Endpoints.Default.Client.Containers.WaitContainerAsync(held.ID, Ct);
        await engine.CleanupWorkflowAsync(new CleanupWorkflowInput(wf, []), Ct);

        // SIGTERM ended it (143), not the SIGKILL after the 30 s grace period (137); its action never ran.
        Assert.Equal(143, (await stopped).StatusCode);
        Assert.False(File.Exists(Path.Combine(engine.WorkflowDirectory(wf), "ran")));
        Assert.Empty(await ContainersOfAsync(wf));
    }

    [Theory(Timeout = 60_000)]
    [InlineData(true)]
    [InlineData(false)]
    public async Task StartAction_WhileItsPreparationIsUnderWay_OneContainerItsActionRunOnce(bool startFirst)
    {
        var wf = NewWorkflowId();
        var input = new StartActionInput(wf, Task(), Action("raced", "echo ran >> /workflow/runs"), 1, ContainerRole.Action);

        // A run without services starts its first action as its preparation begins: either may reach Docker first.
        Task<ActionStarted> start = startFirst ? Engine.StartActionAsync(input with { WaitFor = TimeSpan.FromSeconds(20) }, Ct) : null!;
        var prepare = Engine.PrepareActionAsync(input, Ct);
        start = startFirst ? start : Engine.StartActionAsync(input with { WaitFor = TimeSpan.FromSeconds(20) }, Ct);
        var started = await start;
        await prepare;

        Assert.Equal(0, Assert.IsType<ActionWaitResult>(started.Waited).ExitCode);
        Assert.Equal(started.ContainerId, Assert.Single(await ContainersOfAsync(wf)).ID);
        Assert.Equal(["ran"], File.ReadAllLines(Path.Combine(Engine.WorkflowDirectory(wf), "runs")));
    }

    private const string HeldWaiterName = "dwf-held-waiter";

    private Task<ContainerInspectResponse> InspectAsync(string name) => Engine.Endpoints.Default.Client.Containers.InspectContainerAsync(name, Ct);
}
