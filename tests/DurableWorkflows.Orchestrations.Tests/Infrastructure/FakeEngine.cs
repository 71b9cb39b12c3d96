using System.Collections.Concurrent;
using DurableWorkflows.Containers;
using DurableWorkflows.Core.Contracts;
using Microsoft.DurableTask;

namespace DurableWorkflows.Orchestrations.Tests.Infrastructure;

/// <summary>How a fake service behaves: ready after some "not yet" polls, or failing with a reason and logs.</summary>
public sealed record FakeService(int PendingPolls = 0, string? FailReason = null, IReadOnlyList<string>? LogTail = null);

/// <summary>How one fake container run ends: it exits with a code (at once, or <paramref name="RunsFor"/> after it started), or it runs until it is killed.</summary>
public sealed record FakeRun(long ExitCode, bool Hangs = false, TimeSpan RunsFor = default)
{
    public static FakeRun Exit(long code) => new(code);

    public static FakeRun Hang { get; } = new(0, Hangs: true);
}

/// <summary>What the fake engine does for one workflow. Set up before the workflow is scheduled.</summary>
public sealed class WorkflowScript
{
    /// <summary>By service name; a service not listed is ready at once.</summary>
    public Dictionary<string, FakeService> Services { get; } = [];

    /// <summary>By "task/action", the run of each attempt (1, 2, ...); an action not listed exits 0.</summary>
    public Dictionary<string, Func<int, FakeRun>> Actions { get; } = [];

    /// <summary>How on-failure / on-timeout handlers run.</summary>
    public FakeRun Handler { get; set; } = FakeRun.Exit(0);

    /// <summary>How many StartAction calls find the Docker engine unreachable before one reaches it.</summary>
    public int UnreachableStarts { get; set; }

    /// <summary>How many CleanupWorkflow calls throw before one succeeds.</summary>
    public int CleanupFailures { get; set; }

    /// <summary>When set, StartAction creates its container only once this completes (a slow create or pull).</summary>
    public TaskCompletionSource? StartActionGate { get; set; }

    /// <summary>When set, PrepareAction creates its container only once this completes.</summary>
    public TaskCompletionSource? PrepareActionGate { get; set; }

    /// <summary>Completes when a PrepareAction call has created its container and is about to return.</summary>
    public TaskCompletionSource PrepareActionDone { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>When set, the first CleanupWorkflow lists the containers, then removes them and returns only once this completes.</summary>
    public TaskCompletionSource? CleanupGate { get; set; }

    /// <summary>Completes when the CleanupWorkflow held by <see cref="CleanupGate"/> has listed the containers.</summary>
    public TaskCompletionSource CleanupListed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>What InspectServices reports (null: every started service running, no restarts).</summary>
    public IReadOnlyList<ServiceObservation>? Observations { get; set; }
}

/// <summary>One activity call the fake engine received, numbered in arrival order.</summary>
public sealed record FakeCall(long Sequence, string Activity, string WorkflowId, string? Subject, object Input, DateTimeOffset At);

/// <summary>
/// Fake activities under the real <see cref="ActivityNames"/>: containers that exist in memory, driven by a
/// <see cref="WorkflowScript"/> per workflow id, with every call recorded.
/// </summary>
public sealed class FakeEngine
{
    private readonly ConcurrentDictionary<string, WorkflowScript> scripts = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<FakeCall> calls = new();
    private readonly ConcurrentDictionary<string, FakeContainer> containers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> created = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> polls = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource> started = new(StringComparer.Ordinal);
    private long sequence;

    public WorkflowScript Script(string workflowId) => scripts.GetOrAdd(workflowId, _ => new WorkflowScript());

    public IReadOnlyList<FakeCall> Calls(string workflowId) =>
        [.. calls.Where(c => c.WorkflowId == workflowId).OrderBy(c => c.Sequence)];

    /// <summary>The containers of the workflow no cleanup has removed: started ones, and prepared ones never started.</summary>
    public IReadOnlyList<string> ContainersLeft(string workflowId) =>
        [.. containers.Where(c => c.Value.WorkflowId == workflowId && !c.Value.Removed.Task.IsCompleted).Select(c => c.Key)
            .Concat(created.Where(c => c.Value == workflowId).Select(c => c.Key))];

    /// <summary>Completes when an action (or handler) container of that workflow and "task/action" has started.</summary>
    public Task ActionStarted(string workflowId, string taskAction) => Signal(workflowId, taskAction).Task;

    public void Register(DurableTaskRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.AddActivityFunc<StartServiceInput, ServiceStarted>(ActivityNames.StartService, (_, input) => StartService(input));
        registry.AddActivityFunc<AwaitServiceHealthyInput, ServiceReadiness>(ActivityNames.AwaitServiceHealthy, (_, input) => AwaitServiceHealthyAsync(input));
        registry.AddActivityFunc<InspectServicesInput, IReadOnlyList<ServiceObservation>>(ActivityNames.InspectServices, (_, input) => InspectServices(input));
        registry.AddActivityFunc<StartActionInput, ActionStarted>(ActivityNames.StartAction, (_, input) => StartActionAsync(input));
        registry.AddActivityFunc<StartActionInput, ActionPrepared>(ActivityNames.PrepareAction, (_, input) => PrepareActionAsync(input));
        registry.AddActivityFunc<WaitActionInput, ActionWaitResult>(ActivityNames.WaitAction, (_, input) => WaitActionAsync(input));
        registry.AddActivityFunc<CleanupWorkflowInput, CleanupResult>(ActivityNames.CleanupWorkflow, (_, input) => CleanupAsync(input));
    }

    private void Record(string activity, string workflowId, string? subject, object input) =>
        calls.Enqueue(new FakeCall(Interlocked.Increment(ref sequence), activity, workflowId, subject, input, DateTimeOffset.UtcNow));

    private TaskCompletionSource Signal(string workflowId, string taskAction) =>
        started.GetOrAdd($"{workflowId}|{taskAction}", _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    private ServiceStarted StartService(StartServiceInput input)
    {
        Record(ActivityNames.StartService, input.WorkflowId, input.Service.Name, input);
        string name = $"dwf-{input.WorkflowId}-svc-{input.Service.Name}";
        containers.TryAdd(name, new FakeContainer(input.WorkflowId, ContainerRole.Service, input.Service.Name, FakeRun.Hang, DateTimeOffset.UtcNow));
        return new ServiceStarted(input.Service.Name, name, name);
    }

    private async Task<ServiceReadiness> AwaitServiceHealthyAsync(AwaitServiceHealthyInput input)
    {
        Record(ActivityNames.AwaitServiceHealthy, input.WorkflowId, input.Service.Name, input);
        FakeService behaviour = Script(input.WorkflowId).Services.GetValueOrDefault(input.Service.Name) ?? new FakeService();
        int poll = polls.AddOrUpdate(input.ContainerId, 1, (_, n) => n + 1);
        if (poll <= behaviour.PendingPolls)
        {
            // Like the real activity: wait a bounded while, then report "not yet".
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(50, (input.MaxWait ?? TimeSpan.FromMilliseconds(50)).TotalMilliseconds)));
            return new ServiceReadiness(input.Service.Name, false, "running", "starting", 0, null, [], Pending: true);
        }

        return behaviour.FailReason is null
            ? new ServiceReadiness(input.Service.Name, true, "running", "healthy", 0, null, [])
            : new ServiceReadiness(input.Service.Name, false, "exited", null, 0, behaviour.FailReason, behaviour.LogTail ?? []);
    }

    private IReadOnlyList<ServiceObservation> InspectServices(InspectServicesInput input)
    {
        Record(ActivityNames.InspectServices, input.WorkflowId, null, input);
        return Script(input.WorkflowId).Observations
            ?? [.. containers.Values
                .Where(c => c.WorkflowId == input.WorkflowId && c.Role == ContainerRole.Service)
                .Select(c => new ServiceObservation(c.Subject, c.Subject, DockerStatus.Running, "healthy", 0, null))];
    }

    private static string ContainerName(StartActionInput input) =>
        $"dwf-{input.WorkflowId}-{input.Role}-{input.Task.Name}-{input.Action.Name}-{input.Attempt}".ToLowerInvariant();

    /// <summary>Like Docker's create: the container exists (in <c>created</c>) until a start or a cleanup.</summary>
    private async Task<ActionPrepared> PrepareActionAsync(StartActionInput input)
    {
        Record(ActivityNames.PrepareAction, input.WorkflowId, $"{input.Task.Name}/{input.Action.Name}", input);
        WorkflowScript script = Script(input.WorkflowId);
        if (script.PrepareActionGate is { } gate)
        {
            await gate.Task;
        }

        string name = ContainerName(input);
        var prepared = new ActionPrepared(name, Created: !containers.ContainsKey(name) && created.TryAdd(name, input.WorkflowId));
        script.PrepareActionDone.TrySetResult();
        return prepared;
    }

    private async Task<ActionStarted> StartActionAsync(StartActionInput input)
    {
        string taskAction = $"{input.Task.Name}/{input.Action.Name}";
        Record(ActivityNames.StartAction, input.WorkflowId, taskAction, input);
        WorkflowScript script = Script(input.WorkflowId);
        lock (script)
        {
            if (script.UnreachableStarts > 0)
            {
                script.UnreachableStarts--;
                throw new DockerUnreachableException("unix:///fake.sock", "Docker endpoint unix:///fake.sock is unreachable: no Docker engine listens there", new IOException("gone"));
            }
        }

        if (script.StartActionGate is { } gate)
        {
            await gate.Task;
        }

        FakeRun run = input.Role == ContainerRole.Handler
            ? script.Handler
            : script.Actions.TryGetValue(taskAction, out Func<int, FakeRun>? attempts) ? attempts(input.Attempt) : FakeRun.Exit(0);
        string name = ContainerName(input);
        created.TryRemove(name, out _);
        FakeContainer container = containers.GetOrAdd(name, _ => new FakeContainer(input.WorkflowId, input.Role, taskAction, run, DateTimeOffset.UtcNow));
        Signal(input.WorkflowId, taskAction).TrySetResult();
        var started = new ActionStarted(name, name, AlreadyExisted: false, container.StartedAt);
        return input.WaitFor is { } waitFor && waitFor > TimeSpan.Zero
            ? started with { Waited = await ThenAsync(await WaitAsync(container, input.Action.DeadlineAfter(container.StartedAt), waitFor), input.Then, input.ThenPrepare) }
            : started;
    }

    private async Task<ActionWaitResult> WaitActionAsync(WaitActionInput input)
    {
        Record(ActivityNames.WaitAction, input.WorkflowId, input.ContainerId, input);
        return await ThenAsync(await WaitAsync(containers[input.ContainerId], input.Deadline, input.MaxWait), input.Then, input.ThenPrepare, input.RemoveEnded);
    }

    /// <summary>
    /// Like the real wait with a next action: when this one exited 0, that action started (recorded as its StartAction),
    /// the one after it prepared (recorded as its PrepareAction) and the ended one before removed.
    /// </summary>
    private async Task<ActionWaitResult> ThenAsync(ActionWaitResult waited, StartActionInput? then, StartActionInput? prepare, string? removeEnded = null)
    {
        if (then is null || waited is not { State: ActionRunState.Exited, ExitCode: 0 })
        {
            return waited;
        }

        ActionStarted next = await StartActionAsync(then with { WaitFor = null, Then = null, ThenPrepare = null });
        if (prepare is not null)
        {
            await PrepareActionAsync(prepare);
        }

        if (removeEnded is not null && containers.TryGetValue(removeEnded, out FakeContainer? before))
        {
            before.Removed.TrySetResult();
        }

        return waited with { Next = next };
    }

    /// <summary>Like the real wait: up to <paramref name="maxWait"/>, killing the container at <paramref name="deadline"/>.</summary>
    private static async Task<ActionWaitResult> WaitAsync(FakeContainer c, DateTimeOffset? deadline, TimeSpan maxWait)
    {
        DateTimeOffset? endsAt = c.Run.Hangs ? null : c.StartedAt + c.Run.RunsFor;
        if (endsAt is { } end && DateTimeOffset.UtcNow >= end)
        {
            return new ActionWaitResult(ActionRunState.Exited, c.Run.ExitCode, c.StartedAt, DateTimeOffset.UtcNow, [$"{c.Subject} exits {c.Run.ExitCode}"]);
        }

        TimeSpan wait = maxWait;
        foreach (DateTimeOffset until in new[] { deadline, endsAt }.OfType<DateTimeOffset>())
        {
            TimeSpan left = until - DateTimeOffset.UtcNow;
            wait = left < wait ? left : wait;
        }

        if (wait > TimeSpan.Zero)
        {
            await Task.WhenAny(c.Removed.Task, Task.Delay(wait));
        }

        if (c.Removed.Task.IsCompleted)
        {
            return new ActionWaitResult(ActionRunState.Exited, 137, c.StartedAt, DateTimeOffset.UtcNow, ["removed"]);
        }

        if (endsAt is { } ended && DateTimeOffset.UtcNow >= ended)
        {
            return new ActionWaitResult(ActionRunState.Exited, c.Run.ExitCode, c.StartedAt, DateTimeOffset.UtcNow, [$"{c.Subject} exits {c.Run.ExitCode}"]);
        }

        return deadline is { } d && DateTimeOffset.UtcNow >= d
            ? new ActionWaitResult(ActionRunState.Killed, 137, c.StartedAt, DateTimeOffset.UtcNow, [$"{c.Subject} killed"])
            : new ActionWaitResult(ActionRunState.Running, null, c.StartedAt, null, []);
    }

    /// <summary>Like the real cleanup: lists the workflow's containers, then removes what it listed.</summary>
    private async Task<CleanupResult> CleanupAsync(CleanupWorkflowInput input)
    {
        Record(ActivityNames.CleanupWorkflow, input.WorkflowId, null, input);
        WorkflowScript script = Script(input.WorkflowId);
        TaskCompletionSource? gate;
        lock (script)
        {
            if (script.CleanupFailures > 0)
            {
                script.CleanupFailures--;
                throw new InvalidOperationException("the Docker engine did not answer");
            }

            gate = script.CleanupGate;
            script.CleanupGate = null;
        }

        List<(string Name, FakeContainer C)> running = [.. containers.Where(c => c.Value.WorkflowId == input.WorkflowId).Select(c => (c.Key, c.Value))];
        List<string> prepared = [.. created.Where(c => c.Value == input.WorkflowId).Select(c => c.Key)];
        if (gate is not null)
        {
            script.CleanupListed.TrySetResult();
            await gate.Task;
        }

        var removed = new List<ContainerFinalState>();
        foreach ((string name, FakeContainer c) in running)
        {
            c.Removed.TrySetResult();
            // As the real cleanup: a service found running is reported so (it stops it); one the script says exited, exited.
            ServiceObservation? seen = c.Role == ContainerRole.Service ? script.Observations?.FirstOrDefault(o => o.ServiceName == c.Subject) : null;
            removed.Add(c.Role == ContainerRole.Service
                ? new ContainerFinalState(name, c.Role, c.Subject, seen?.State == DockerStatus.Exited ? "exited" : "running", seen?.ExitCode, seen?.Restarts ?? 0)
                : new ContainerFinalState(name, c.Role, null, "exited", 137, 0));
        }

        foreach (string name in prepared)
        {
            created.TryRemove(name, out _);
            removed.Add(new ContainerFinalState(name, ContainerRole.Action, null, "created", null, 0));
        }

        return new CleanupResult(removed);
    }

    private sealed record FakeContainer(string WorkflowId, ContainerRole Role, string Subject, FakeRun Run, DateTimeOffset StartedAt)
    {
        public TaskCompletionSource Removed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
