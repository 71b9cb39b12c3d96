using DurableWorkflows.Core.Contracts;

namespace DurableWorkflows.Containers.Tests;

public sealed class ActionTests : DockerTestBase
{
    [Fact(Timeout = 60_000)]
    public async Task WaitAction_ActionExits_ReportsExitCodeAndKeepsLogs()
    {
        var wf = NewWorkflowId();
        var action = Action("flash", "echo hello-out; echo hello-err >&2; exit 7");

        var result = await RunActionAsync(wf, Task("disk"), action);

        Assert.Equal(ActionRunState.Exited, result.State);
        Assert.Equal(7, result.ExitCode);
        Assert.Contains("hello-out", result.LogTail);
        Assert.Contains("hello-err", result.LogTail);
        Assert.NotNull(result.StartedAt);
        Assert.NotNull(result.FinishedAt);

        var saved = Assert.Single(Engine.Logs.Read(wf, "disk", "flash"));
        Assert.Equal(ContainerNames.Action(wf, "disk", "flash", 1, ContainerRole.Action), saved.ContainerName);
        Assert.Contains("hello-out", saved.Text, StringComparison.Ordinal);
        Assert.Contains("hello-err", saved.Text, StringComparison.Ordinal);
        Assert.True(File.Exists(Engine.Logs.PathOf(wf, saved.ContainerName)));
    }

    [Fact(Timeout = 60_000)]
    public async Task StartAction_Labels_CarryWorkflowTaskActionAttemptAndRole()
    {
        var wf = NewWorkflowId();
        var started = await Engine.StartActionAsync(
            new StartActionInput(wf, Task("disk"), Action("wipe", "true"), 2, ContainerRole.Handler, ["sh", "-c", "echo handled"]), Ct);

        var container = await Engine.Endpoints.Default.Client.Containers.InspectContainerAsync(started.ContainerId, Ct);
        var labels = container.Config.Labels;
        Assert.Equal(wf, labels[ContainerLabels.WorkflowId]);
        Assert.Equal("handler", labels[ContainerLabels.Role]);
        Assert.Equal("disk", labels[ContainerLabels.Task]);
        Assert.Equal("wipe", labels[ContainerLabels.Action]);
        Assert.Equal("2", labels[ContainerLabels.Attempt]);
        Assert.Equal(["sh", "-c", "echo handled"], container.Config.Cmd);
        Assert.False(container.HostConfig.Privileged);
        // Actions and handlers run without Docker's init unless ActionInit asks for it, as Tinkerbell runs them.
        Assert.False(container.HostConfig.Init ?? false);
        Assert.EndsWith("-handler-", started.ContainerName[..^8], StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task StartAction_Privileged_FlagPassedOrClearErrorWhenEngineRefuses()
    {
        var wf = NewWorkflowId();
        var engine = NewEngine(o => o.Privileged = true);
        var input = new StartActionInput(wf, Task(), Action("priv", "true"), 1, ContainerRole.Action);

        try
        {
            var started = await engine.StartActionAsync(input, Ct);
            var container = await engine.Endpoints.Default.Client.Containers.InspectContainerAsync(started.ContainerId, Ct);
            Assert.True(container.HostConfig.Privileged);
        }
        catch (ContainerEngineException e)
        {
            // Engines without the capabilities (such as a rootless or nested one) refuse privileged containers.
            Assert.Contains("Privileged to false", e.Message, StringComparison.Ordinal);
            var container = Assert.Single(await ContainersOfAsync(wf));
            var inspected = await engine.Endpoints.Default.Client.Containers.InspectContainerAsync(container.ID, Ct);
            Assert.True(inspected.HostConfig.Privileged);
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task WaitAction_DeadlinePasses_KillsContainer()
    {
        var wf = NewWorkflowId();
        var started = await Engine.StartActionAsync(
            new StartActionInput(wf, Task(), Action("hang", "echo begun; exec sleep 300"), 1, ContainerRole.Action), Ct);

        var result = await Engine.WaitActionAsync(
            new WaitActionInput(wf, "", started.ContainerId, DateTimeOffset.UtcNow.AddSeconds(1), TimeSpan.FromSeconds(30)), Ct);

        Assert.Equal(ActionRunState.Killed, result.State);
        Assert.Equal(137, result.ExitCode);
        Assert.Contains("begun", result.LogTail);
        var container = await Engine.Endpoints.Default.Client.Containers.InspectContainerAsync(started.ContainerId, Ct);
        Assert.False(container.State.Running);
    }

    [Fact(Timeout = 60_000)]
    public async Task WaitAction_MaxWaitShorterThanAction_ReportsRunning()
    {
        var wf = NewWorkflowId();
        var started = await Engine.StartActionAsync(
            new StartActionInput(wf, Task(), Action("long", "exec sleep 300"), 1, ContainerRole.Action), Ct);

        var result = await Engine.WaitActionAsync(
            new WaitActionInput(wf, "", started.ContainerId, null, TimeSpan.FromMilliseconds(300)), Ct);

        Assert.Equal(ActionRunState.Running, result.State);
        Assert.Null(result.ExitCode);
    }

    [Fact(Timeout = 60_000)]
    public async Task StartAction_CalledTwice_OneContainerNotRestarted()
    {
        var wf = NewWorkflowId();
        var input = new StartActionInput(wf, Task(), Action("once", "echo ran >> /workflow/runs"), 1, ContainerRole.Action);

        var first = await Engine.StartActionAsync(input, Ct);
        var result = await Engine.WaitActionAsync(new WaitActionInput(wf, "", first.ContainerId, null, TimeSpan.FromSeconds(20)), Ct);
        var second = await Engine.StartActionAsync(input, Ct);
        var again = await Engine.WaitActionAsync(new WaitActionInput(wf, "", second.ContainerId, null, TimeSpan.FromSeconds(20)), Ct);

        Assert.Equal(ActionRunState.Exited, result.State);
        Assert.False(first.AlreadyExisted);
        Assert.True(second.AlreadyExisted);
        Assert.Equal(first.ContainerId, second.ContainerId);
        Assert.Equal(ActionRunState.Exited, again.State);
        Assert.Single(await ContainersOfAsync(wf));
        Assert.Equal(["ran"], File.ReadAllLines(Path.Combine(Engine.WorkflowDirectory(wf), "runs")));
    }

    [Fact(Timeout = 60_000)]
    public async Task PrepareAction_StartAheadOff_ThenStart_CreatedNotStartedThenStartedOnce()
    {
        var wf = NewWorkflowId();
        var engine = NewEngine(o => o.StartAhead = false);
        var input = new StartActionInput(wf, Task(), Action("ahead", "echo ran >> /workflow/runs"), 1, ContainerRole.Action);

        var prepared = await engine.PrepareActionAsync(input, Ct);
        var preparedAgain = await engine.PrepareActionAsync(input, Ct);
        var before = await engine.Endpoints.Default.Client.Containers.InspectContainerAsync(prepared.ContainerName, Ct);
        var ranBeforeStart = File.Exists(Path.Combine(engine.WorkflowDirectory(wf), "runs"));
        var started = await engine.StartActionAsync(input, Ct);
        var result = await engine.WaitActionAsync(new WaitActionInput(wf, "", started.ContainerId, null, TimeSpan.FromSeconds(20)), Ct);

        Assert.True(prepared.Created);
        Assert.Null(prepared.Error);
        Assert.False(preparedAgain.Created);
        Assert.Equal("created", before.State.Status);
        Assert.False(ranBeforeStart);
        Assert.Equal(before.ID, started.ContainerId);
        Assert.Equal(0, result.ExitCode);
        Assert.Single(await ContainersOfAsync(wf));
        Assert.Equal(["ran"], File.ReadAllLines(Path.Combine(engine.WorkflowDirectory(wf), "runs")));
    }

    [Fact(Timeout = 60_000)]
    public async Task PrepareAction_WhileAServiceOfTheWorkflowStarts_CreatesAfterThatStart()
    {
        var wf = NewWorkflowId();
        var next = new StartActionInput(wf, Task(), Action("first", "true"), 1, ContainerRole.Action);

        // The service's start is under way from its call; the first action's container, prepared meanwhile, is created after it.
        var starting = Engine.StartServiceAsync(new StartServiceInput(wf, Service("db", ["sleep", "300"])), Ct);
        var prepared = await Engine.PrepareActionAsync(next, Ct);
        var service = await starting;

        var serviceNow = await Engine.Endpoints.Default.Client.Containers.InspectContainerAsync(service.ContainerId, Ct);
        var firstNow = await Engine.Endpoints.Default.Client.Containers.InspectContainerAsync(prepared.ContainerName, Ct);
        Assert.True(prepared.Created);
        Assert.True(DockerStates.AsUtc(firstNow.Created) >= DockerStates.ParseTime(serviceNow.State.StartedAt),
            $"created {firstNow.Created:O}, the service started {serviceNow.State.StartedAt}");
    }

    [Fact(Timeout = 60_000)]
    public async Task StartAction_WithWaitFor_OutputOfBothStreamsSavedWhole()
    {
        var wf = NewWorkflowId();
        var script = "for i in $(seq 1 3000); do echo out-$i; echo err-$i >&2; done; printf no-newline; exit 3";
        var input = new StartActionInput(wf, Task(), Action("chatty", script), 1, ContainerRole.Action) with { WaitFor = TimeSpan.FromSeconds(20) };

        var started = await Engine.StartActionAsync(input, Ct);

        var ended = Assert.IsType<ActionWaitResult>(started.Waited);
        Assert.Equal(ActionRunState.Exited, ended.State);
        Assert.Equal(3, ended.ExitCode);
        var inspected = await Engine.Endpoints.Default.Client.Containers.InspectContainerAsync(started.ContainerId, Ct);
        Assert.InRange(ended.FinishedAt!.Value, DockerStates.ParseTime(inspected.State.FinishedAt)!.Value.AddMilliseconds(-50), DockerStates.ParseTime(inspected.State.FinishedAt)!.Value.AddMilliseconds(50));
        // stdout and stderr are two pipes: each keeps its lines' order and its lines whole, not one order between them.
        var saved = File.ReadAllLines(Engine.Logs.PathOf(wf, started.ContainerName));
        Assert.Equal(6001, saved.Length);
        Assert.Equal([.. Enumerable.Range(1, 3000).Select(i => $"out-{i}"), "no-newline"], saved.Where(l => !l.StartsWith("err-", StringComparison.Ordinal)));
        Assert.Equal(Enumerable.Range(1, 3000).Select(i => $"err-{i}"), saved.Where(l => l.StartsWith("err-", StringComparison.Ordinal)));
        Assert.Contains("no-newline", ended.LogTail);
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(Engine.Logs.PathOf(wf, started.ContainerName))!, "*.tmp"));
    }

    [Fact(Timeout = 60_000)]
    public async Task StartAction_WithWaitFor_OutputClosedWhileItRunsOn_NotTakenForItsEnd()
    {
        var wf = NewWorkflowId();
        var quiet = new StartActionInput(wf, Task(), Action("quiet", "echo before; exec >&- 2>&-; sleep 30"), 1, ContainerRole.Action) with { WaitFor = TimeSpan.FromMilliseconds(300) };
        var late = new StartActionInput(wf, Task(), Action("late", "echo before; exec >&- 2>&-; sleep 0.2; exit 5"), 1, ContainerRole.Action) with { WaitFor = TimeSpan.FromSeconds(20) };

        var quietStarted = await Engine.StartActionAsync(quiet, Ct);
        var lateStarted = await Engine.StartActionAsync(late, Ct);

        Assert.Equal(ActionRunState.Running, Assert.IsType<ActionWaitResult>(quietStarted.Waited).State);
        Assert.True((await Engine.Endpoints.Default.Client.Containers.InspectContainerAsync(quietStarted.ContainerId, Ct)).State.Running);
        var lateEnded = Assert.IsType<ActionWaitResult>(lateStarted.Waited);
        Assert.Equal(ActionRunState.Exited, lateEnded.State);
        Assert.Equal(5, lateEnded.ExitCode);
        Assert.Equal(["before"], lateEnded.LogTail);
    }

    [Fact(Timeout = 60_000)]
    public async Task StartAction_WithWaitFor_ShortActionEndsInTheSameCallLongOneReportsRunning()
    {
        var wf = NewWorkflowId();
        var quick = new StartActionInput(wf, Task(), Action("quick", "echo done; exit 4"), 1, ContainerRole.Action) with { WaitFor = TimeSpan.FromSeconds(20) };
        var slow = new StartActionInput(wf, Task(), Action("slow", "sleep 30"), 1, ContainerRole.Action) with { WaitFor = TimeSpan.FromMilliseconds(300) };

        var quickStarted = await Engine.StartActionAsync(quick, Ct);
        var slowStarted = await Engine.StartActionAsync(slow, Ct);

        var ended = Assert.IsType<ActionWaitResult>(quickStarted.Waited);
        Assert.Equal(ActionRunState.Exited, ended.State);
        Assert.Equal(4, ended.ExitCode);
        Assert.Contains("done", ended.LogTail);
        Assert.Equal(ActionRunState.Running, Assert.IsType<ActionWaitResult>(slowStarted.Waited).State);
        var running = await Engine.Endpoints.Default.Client.Containers.InspectContainerAsync(slowStarted.ContainerId, Ct);
        Assert.True(running.State.Running);
    }

    [Fact(Timeout = 60_000)]
    public async Task PrepareAction_MissingImage_ReturnsTheErrorCreatesNothing()
    {
        var wf = NewWorkflowId();
        var engine = NewEngine(o => o.PullPolicy = PullPolicies.Never);
        var input = new StartActionInput(wf, Task(), Action("ghost", "true") with { Image = "dwf-no-such-image:latest" }, 1, ContainerRole.Action);

        var prepared = await engine.PrepareActionAsync(input, Ct);

        Assert.False(prepared.Created);
        Assert.Contains("dwf-no-such-image:latest", prepared.Error, StringComparison.Ordinal);
        Assert.Empty(await ContainersOfAsync(wf));
    }

    [Fact(Timeout = 60_000)]
    public async Task StartAction_EnvironmentAndVolumes_ActionWinsOverTask()
    {
        var wf = NewWorkflowId();
        var taskDir = Directory.CreateDirectory(Path.Combine(DataDirectory, "task-data")).FullName;
        var actionDir = Directory.CreateDirectory(Path.Combine(DataDirectory, "action-data")).FullName;
        var extraDir = Directory.CreateDirectory(Path.Combine(DataDirectory, "extra")).FullName;
        File.WriteAllText(Path.Combine(taskDir, "which"), "task\n");
        File.WriteAllText(Path.Combine(actionDir, "which"), "action\n");
        File.WriteAllText(Path.Combine(extraDir, "which"), "extra\n");
        var task = Task(
            "provision",
            [$"{taskDir}:/data", $"{extraDir}:/extra:ro"],
            new Dictionary<string, string> { ["A"] = "task-a", ["B"] = "task-b" });
        var action = Action(
            "show",
            "echo A=$A B=$B C=$C; cat /data/which /extra/which; echo from-action > /workflow/out",
            [$"{actionDir}:/data/"],
            new Dictionary<string, string> { ["B"] = "action-b", ["C"] = "action-c" });

        var result = await RunActionAsync(wf, task, action);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["A=task-a B=action-b C=action-c", "action", "extra"], result.LogTail);
        Assert.Equal("from-action\n", File.ReadAllText(Path.Combine(Engine.WorkflowDirectory(wf), "out")));
    }

    [Fact(Timeout = 60_000)]
    public async Task StartAction_HostPathOutsideAllowList_RefusedBeforeCreate()
    {
        var wf = NewWorkflowId();
        var allowed = Directory.CreateDirectory(Path.Combine(DataDirectory, "allowed")).FullName;
        var engine = NewEngine(o => o.AllowedHostPaths = [allowed]);
        var action = Action("peek", "ls /host-etc", [$"{allowed}:/ok", "/etc:/host-etc:ro"]);

        var error = await Assert.ThrowsAsync<ContainerEngineException>(
            () => engine.StartActionAsync(new StartActionInput(wf, Task("t"), action, 1, ContainerRole.Action), Ct));

        Assert.Contains("'/etc'", error.Message, StringComparison.Ordinal);
        Assert.Contains("AllowedHostPaths", error.Message, StringComparison.Ordinal);
        Assert.Contains("t/peek", error.Message, StringComparison.Ordinal);
        Assert.Empty(await ContainersOfAsync(wf));
    }

    [Fact(Timeout = 60_000)]
    public async Task StartAction_HostPathInsideAllowList_Runs()
    {
        var wf = NewWorkflowId();
        var allowed = Directory.CreateDirectory(Path.Combine(DataDirectory, "allowed")).FullName;
        var sub = Directory.CreateDirectory(Path.Combine(allowed, "sub")).FullName;
        File.WriteAllText(Path.Combine(sub, "f"), "inside\n");
        var engine = NewEngine(o => o.AllowedHostPaths = [allowed + "/"]);
        var action = Action("peek", "cat /in/f", [$"{sub}:/in:ro"]);

        var started = await engine.StartActionAsync(new StartActionInput(wf, Task(), action, 1, ContainerRole.Action), Ct);
        var result = await engine.WaitActionAsync(new WaitActionInput(wf, "", started.ContainerId, null, TimeSpan.FromSeconds(20)), Ct);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["inside"], result.LogTail);
    }
}
