using DurableWorkflows.Core.Contracts;

namespace DurableWorkflows.Containers.Tests;

public sealed class EndpointTests : DockerTestBase
{
    [Theory(Timeout = 30_000)]
    [InlineData("unix:///tmp/dwf-no-such-dir/docker.sock")]
    [InlineData("tcp://127.0.0.1:1")]
    public async Task StartAction_DockerUnreachable_ErrorNamesEndpoint(string endpoint)
    {
        var wf = NewWorkflowId();
        var engine = NewEngine(o =>
        {
            o.DefaultEndpoint = endpoint;
            o.RequestTimeoutSeconds = 5;
        });

        var error = await Assert.ThrowsAsync<DockerUnreachableException>(
            () => engine.StartActionAsync(new StartActionInput(wf, Task(), Action("a", "true"), 1, ContainerRole.Action), Ct));

        Assert.Equal(endpoint, error.Endpoint);
        Assert.Contains(endpoint, error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task CleanupWorkflow_DockerUnreachable_Throws()
    {
        var engine = NewEngine(o => o.DefaultEndpoint = "unix:///tmp/dwf-no-such-dir/docker.sock");

        var error = await Assert.ThrowsAsync<DockerUnreachableException>(
            () => engine.CleanupWorkflowAsync(new CleanupWorkflowInput(NewWorkflowId(), []), Ct));

        Assert.Contains("dwf-no-such-dir", error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task StartAction_UnknownWorkerWhenErrorPolicy_Refused()
    {
        var engine = NewEngine(o => o.UnknownWorkers = UnknownWorkerPolicies.Error);
        var task = new TaskContext("t", "rack-7", [], new Dictionary<string, string>());

        var error = await Assert.ThrowsAsync<ContainerEngineException>(
            () => engine.StartActionAsync(new StartActionInput(NewWorkflowId(), task, Action("a", "true"), 1, ContainerRole.Action), Ct));

        Assert.Contains("'rack-7'", error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task StartAction_MappedWorker_UsesItsEndpoint()
    {
        var wf = NewWorkflowId();
        var engine = NewEngine(o =>
        {
            o.UnknownWorkers = UnknownWorkerPolicies.Error;
            o.Workers["rack-1"] = new DockerEndpointOptions { Endpoint = "unix:///tmp/dwf-no-such-dir/rack-1.sock" };
        });
        var task = new TaskContext("t", "rack-1", [], new Dictionary<string, string>());

        var error = await Assert.ThrowsAsync<DockerUnreachableException>(
            () => engine.StartActionAsync(new StartActionInput(wf, task, Action("a", "true"), 1, ContainerRole.Action), Ct));

        Assert.Equal("unix:///tmp/dwf-no-such-dir/rack-1.sock", error.Endpoint);
    }
}
