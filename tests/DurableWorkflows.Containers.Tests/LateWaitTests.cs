using DurableWorkflows.Activities;
using DurableWorkflows.Core.Contracts;

namespace DurableWorkflows.Containers.Tests;

/// <summary>A wait that carries the next action's start, delivered after its workflow ended, starts nothing.</summary>
public sealed class LateWaitTests : DockerTestBase
{
    private sealed class Liveness(bool active) : IWorkflowLiveness
    {
        public System.Threading.Tasks.Task<bool> IsActiveAsync(string workflowId, CancellationToken cancellationToken = default) =>
            System.Threading.Tasks.Task.FromResult(active);
    }

    [Theory(Timeout = 60_000)]
    [InlineData(true, 2)]
    [InlineData(false, 1)]
    public async Task WaitActionActivity_WithThen_StartsTheNextOnlyWhileTheWorkflowIsActive(bool active, int containers)
    {
        var wf = NewWorkflowId();
        var first = await Engine.StartActionAsync(new StartActionInput(wf, Task(), Action("first", "true"), 1, ContainerRole.Action), Ct);
        var then = new StartActionInput(wf, Task(), Action("second", "exec sleep 30"), 1, ContainerRole.Action);
        var activity = new WaitActionActivity(Engine, new Liveness(active));

        var ended = await activity.RunAsync(null!, new WaitActionInput(wf, "", first.ContainerId, null, TimeSpan.FromSeconds(20), Then: then));

        Assert.Equal(0L, ended.ExitCode);
        Assert.Equal(active, ended.Next is not null);
        Assert.Equal(containers, (await ContainersOfAsync(wf)).Count);
    }
}
