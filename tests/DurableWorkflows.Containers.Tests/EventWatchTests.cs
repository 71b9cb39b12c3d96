using Docker.DotNet.Models;
using DurableWorkflows.Core.Contracts;

namespace DurableWorkflows.Containers.Tests;

/// <summary>Docker's event stream as the waits use it: a wake-up per change of a watched container, on the real engine.</summary>
public sealed class EventWatchTests : DockerTestBase
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(20);

    [Fact(Timeout = 60_000)]
    public async Task Watch_ContainerStartsAndExits_WokenByItsEvents()
    {
        var endpoint = Engine.Endpoints.Default;
        string id = await CreateAsync(NewWorkflowId(), "sleep 0.3");
        await WaitStreamingAsync(endpoint);
        using var any = endpoint.Events.Watch(id);
        using var ends = endpoint.Events.Watch(id, endsOnly: true);
        long before = endpoint.Events.Wakeups;

        await endpoint.Client.Containers.StartContainerAsync(id, new ContainerStartParameters(), Ct);
        Assert.True(await UntilWokenAsync(any), "the start woke the watch");
        var inspected = await endpoint.Client.Containers.InspectContainerAsync(id, Ct);
        Assert.True(inspected.State.Running || inspected.State.Status == "exited");

        Assert.True(await UntilWokenAsync(ends), "the exit woke the watch of its end");
        inspected = await endpoint.Client.Containers.InspectContainerAsync(id, Ct);
        Assert.Equal("exited", inspected.State.Status);
        Assert.True(endpoint.Events.Wakeups >= before + 2, "its start and its die were counted");
    }

    [Fact(Timeout = 60_000)]
    public async Task Watch_NothingHappens_ReturnsAtTheBoundNotWoken()
    {
        var endpoint = Engine.Endpoints.Default;
        string id = await CreateAsync(NewWorkflowId(), "sleep 30");
        await endpoint.Client.Containers.StartContainerAsync(id, new ContainerStartParameters(), Ct);
        await WaitStreamingAsync(endpoint);
        using var ends = endpoint.Events.Watch(id, endsOnly: true);

        // Only its end wakes this watch: a running container that does not stop leaves it to its bound.
        Assert.False(await ends.NextAsync(TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(300), Ct));
        Assert.True((await endpoint.Client.Containers.InspectContainerAsync(id, Ct)).State.Running);
    }

    [Fact(Timeout = 60_000)]
    public async Task AwaitServiceHealthy_WithHealthcheck_WokenByHealthStatusEvent()
    {
        var wf = NewWorkflowId();
        var endpoint = Engine.Endpoints.Default;
        var service = Service("svc", ["sh", "-c", "sleep 0.5; touch /tmp/ready; exec sleep 60"], Health("test -f /tmp/ready", retries: 50));
        var started = await Engine.StartServiceAsync(new StartServiceInput(wf, service), Ct);
        long before = endpoint.Events.Wakeups;

        var readiness = await AwaitServiceAsync(wf, service, started.ContainerId);

        Assert.True(readiness.Ready, readiness.Reason);
        Assert.Equal("healthy", readiness.Health);
        Assert.True(endpoint.Events.Streaming, "the engine's event stream is open");
        Assert.True(endpoint.Events.Wakeups > before, "the wait was woken by the container's events, not only by its fallback inspect");
    }

    private async Task<string> CreateAsync(string workflowId, string shell)
    {
        var created = await Engine.Endpoints.Default.Client.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Image = Image,
            Cmd = ["sh", "-c", shell],
            Labels = new Dictionary<string, string> { [ContainerLabels.WorkflowId] = workflowId, [ContainerLabels.TaskHub] = TestTaskHub },
            HostConfig = new HostConfig { NetworkMode = "host" },
        }, Ct);
        return created.ID;
    }

    /// <summary>Waits (bounded by the test) for the watch to be woken by an event; false when only its bounds passed.</summary>
    private async Task<bool> UntilWokenAsync(DockerApi.ContainerEventWatch.Watcher watcher)
    {
        using var bound = new CancellationTokenSource(Long);
        while (!bound.IsCancellationRequested)
        {
            if (await watcher.NextAsync(Long, Long, Ct))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Opens the endpoint's stream and waits until it is up, so that its opening wakes no watch of the test.</summary>
    private async Task WaitStreamingAsync(DockerEndpoint endpoint)
    {
        endpoint.Events.Open();
        while (!endpoint.Events.Streaming)
        {
            await System.Threading.Tasks.Task.Delay(20, Ct);
        }

        await System.Threading.Tasks.Task.Delay(200, Ct);
    }
}
