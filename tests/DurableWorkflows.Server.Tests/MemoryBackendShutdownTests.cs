namespace DurableWorkflows.Server.Tests;

/// <summary>A server on the memory backend takes its workflows with it when it stops: it removes their containers too.</summary>
public sealed class MemoryBackendShutdownTests
{
    private const string ServiceAndSleep = """
        version: "0.1"
        name: stopped-with-the-server
        global_timeout: 600
        services:
          - name: idle
            worker: local
            image: dwf-busybox:latest
            command: ["sleep", "600"]
        tasks:
          - name: provision
            worker: local
            actions:
              - name: sleep
                image: dwf-busybox:latest
                timeout: 300
                command: ["sleep", "300"]
              - name: never
                image: dwf-busybox:latest
                command: ["true"]
        """;

    [Fact(Timeout = 120_000)]
    public async Task Stop_WorkflowRunning_RemovesItsServiceAndActionContainers()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(110));
        var server = new ServerFixture();
        await server.InitializeAsync();
        string? id = null;
        try
        {
            id = await server.StartAsync(ServiceAndSleep, cts.Token);
            await server.WaitForRunningActionAsync(id, cts.Token);
            // The service, the running action and the next one, created ahead.
            Assert.True((await server.ContainersOfAsync(id, cts.Token)).Count >= 2);

            await server.StopServerAsync();

            Assert.Empty(await server.ContainersOfAsync(id, cts.Token));
        }
        finally
        {
            if (id is not null)
            {
                Assert.Equal(0, await server.RemoveContainersOfAsync(id));
            }

            await server.DisposeAsync();
        }
    }
}
