using DurableWorkflows.Core.Contracts;
using DurableWorkflows.Core.Templates;
using DurableWorkflows.Server.Workflows;
using DurableWorkflows.Testing;

namespace DurableWorkflows.EndToEnd.Tests.Infrastructure;

/// <summary>
/// One workflow of one test: a unique workflow id, Docker's events of its containers, a time bound for the whole
/// test, and on dispose the removal of whatever a failing test left behind (only this workflow's containers).
/// </summary>
public sealed class WorkflowTestRun : IAsyncDisposable
{
    private readonly WorkflowHostFixture host;
    private readonly CancellationTokenSource timeout;

    public WorkflowTestRun(WorkflowHostFixture host, string yaml, IReadOnlyDictionary<string, string>? vars = null, int timeoutSeconds = 90)
    {
        this.host = host;
        timeout = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        (WorkflowId, Definition) = WorkflowHostFixture.Load(yaml, vars);
        DockerEvents = DockerFacts.RecordEvents(WorkflowId);
    }

    public string WorkflowId { get; }

    public WorkflowDefinition Definition { get; }

    public DockerEventLog DockerEvents { get; }

    /// <summary>Cancelled when the test's time bound passes.</summary>
    public CancellationToken Token => timeout.Token;

    /// <summary>The host folder mounted at /workflow in this workflow's containers.</summary>
    public string WorkflowDirectory => Path.Combine(host.DataDirectory, "workflows", WorkflowId);

    public Task<WorkflowStatus> RunAsync() => host.RunAsync(WorkflowId, Definition, Token);

    public Task StartAsync() => host.StartAsync(WorkflowId, Definition, Token);

    public Task<WorkflowStatus> WaitFinishedAsync() => host.WaitFinishedAsync(WorkflowId, Token);

    public Task<WorkflowSnapshot> WaitForAsync(Func<WorkflowSnapshot, bool> condition) => host.WaitForAsync(WorkflowId, condition, Token);

    /// <summary>Waits until the action runs (its container started).</summary>
    public Task<WorkflowSnapshot> WaitActionRunningAsync(string task, string action) =>
        WaitForAsync(s => s.Status.Action(task, action) is { State: ActionState.RUNNING, Container: not null });

    /// <summary>The check every test ends with: Docker saw every container of the workflow destroyed, and lists none.</summary>
    public async Task AssertNothingLeftAsync()
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(Token);
        bound.CancelAfter(TimeSpan.FromSeconds(10));
        try
        {
            await DockerEvents.WaitAllDestroyedAsync(bound.Token);
        }
        catch (OperationCanceledException)
        {
            // The listing below names what is left.
        }

        await host.Docker.AssertNoContainerLeftAsync(WorkflowId, Token);
    }

    /// <summary>Docker's events of the containers of one role (service, action, handler).</summary>
    public IReadOnlyList<DockerEvent> EventsOf(string role, string kind) =>
        [.. DockerEvents.Events.Where(e => e.Role == role && e.Kind == kind)];

    public async ValueTask DisposeAsync()
    {
        await DockerEvents.DisposeAsync();
        await host.Docker.RemoveLeftoversAsync(WorkflowId);
        timeout.Dispose();
    }
}
