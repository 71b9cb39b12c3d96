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
        Assert.Contains("no Docker engine listens there", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DockerUnreachableException_TypeName_IsTheOneOrchestrationsRetryOn() =>
        Assert.Equal(ErrorTypes.DockerUnreachable, typeof(DockerUnreachableException).FullName);

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

    [Fact(Timeout = 30_000)]
    public async Task StartActionAndCleanup_WorkerEndpointOfTheRun_WinsOverHostJsonAndUnknownWorkersError()
    {
        const string own = "unix:///tmp/dwf-no-such-dir/from-the-record.sock";
        var engine = NewEngine(o =>
        {
            o.UnknownWorkers = UnknownWorkerPolicies.Error;
            o.Workers["aa:bb:cc:dd:ee:ff"] = new DockerEndpointOptions { Endpoint = "unix:///tmp/dwf-no-such-dir/host-json.sock" };
        });
        var runEndpoints = new Dictionary<string, string> { ["aa:bb:cc:dd:ee:ff"] = own, ["AA-BB-CC-00-00-01"] = own };
        var task = new TaskContext("t", "AA-BB-CC-00-00-01", [], new Dictionary<string, string>());

        var started = await Assert.ThrowsAsync<DockerUnreachableException>(
            () => engine.StartActionAsync(new StartActionInput(NewWorkflowId(), task, Action("a", "true"), 1, ContainerRole.Action, WorkerEndpoints: runEndpoints), Ct));
        var mapped = await Assert.ThrowsAsync<DockerUnreachableException>(
            () => engine.WaitActionAsync(new WaitActionInput(NewWorkflowId(), "aa:bb:cc:dd:ee:ff", "none", null, TimeSpan.FromSeconds(1), runEndpoints), Ct));
        var cleaned = await Assert.ThrowsAsync<DockerUnreachableException>(
            () => engine.CleanupWorkflowAsync(new CleanupWorkflowInput(NewWorkflowId(), ["AA-BB-CC-00-00-01"], runEndpoints), Ct));

        Assert.Equal(own, started.Endpoint);
        Assert.Equal(own, mapped.Endpoint);
        Assert.Equal(own, cleaned.Endpoint);
    }
}
