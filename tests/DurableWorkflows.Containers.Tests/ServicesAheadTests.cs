using DurableWorkflows.Core.Contracts;
using DurableWorkflows.Core.Templates;

namespace DurableWorkflows.Containers.Tests;

/// <summary>Services started ahead of a workflow's run (<c>dwf run</c>): the run's own start takes them over, nothing twice.</summary>
public sealed class ServicesAheadTests : DockerTestBase
{
    private static WorkflowInput Input(string workflowId, params ServiceDefinition[] services) =>
        new(workflowId, new WorkflowDefinition("0.1", "ahead", 60, services, []), WorkflowSettings.Default);

    [Fact(Timeout = 60_000)]
    public async Task StartServicesAhead_ThenTheRunsOwnStart_FindsTheSameRunningContainers()
    {
        var wf = NewWorkflowId();
        var input = Input(wf, Service("db", ["sleep", "300"]), Service("cache", ["sleep", "300"]));

        await Engine.StartServicesAheadAsync(input, Ct);
        var ahead = await ContainersOfAsync(wf);
        var db = await Engine.StartServiceAsync(StartServiceInput.Of(input, input.Definition.Services[0]), Ct);
        var cache = await Engine.StartServiceAsync(StartServiceInput.Of(input, input.Definition.Services[1]), Ct);

        Assert.Equal(2, ahead.Count);
        Assert.All(ahead, c => Assert.Equal("running", c.State));
        Assert.Equal(ahead.Select(c => c.ID).Order(), new[] { db.ContainerId, cache.ContainerId }.Order());
        Assert.Equal(2, (await ContainersOfAsync(wf)).Count);
    }

    [Fact(Timeout = 60_000)]
    public async Task StartServicesAhead_ImageMissing_DoesNotThrowAndTheRunsStartReportsIt()
    {
        var wf = NewWorkflowId();
        var input = Input(wf, Service("ghost", ["sleep", "300"], image: "dwf-no-such-image:never"), Service("db", ["sleep", "300"]));

        await Engine.StartServicesAheadAsync(input, Ct);

        var db = Assert.Single(await ContainersOfAsync(wf));
        Assert.Equal("running", db.State);
        var error = await Assert.ThrowsAsync<ContainerEngineException>(
            () => Engine.StartServiceAsync(StartServiceInput.Of(input, input.Definition.Services[0]), Ct));
        Assert.Contains("dwf-no-such-image:never", error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task RemoveServicesAhead_WorkflowNotScheduled_RemovesWhatWasStarted()
    {
        var wf = NewWorkflowId();
        var input = Input(wf, Service("db", ["sleep", "300"]), Service("cache", ["sleep", "300"]));
        await Engine.StartServicesAheadAsync(input, Ct);

        var removed = await Engine.RemoveServicesAheadAsync(input, Ct);

        Assert.Equal(2, removed.Containers.Count);
        Assert.Empty(await ContainersOfAsync(wf));
    }
}
