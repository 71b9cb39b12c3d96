using DurableWorkflows.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DurableWorkflows.Server.Tests;

public sealed class WorkflowHostTests
{
    [Fact(Timeout = 60_000)]
    public async Task Build_RunRoleOnMemoryBackend_RunsMoreActivitiesAtOnceThanProcessors()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(50));
        // More activities than the raw in-memory service runs at once (its limit is the processor count);
        // each waits until all of them are in flight together.
        int count = (Environment.ProcessorCount * 4) + 2;
        using var allInFlight = new CountdownEvent(count);
        await using WebApplication app = WorkflowHost.Build(
            ServerRole.Run,
            new Dictionary<string, string?> { ["DurableWorkflows:Backend"] = "memory" },
            builder => builder.Services.Configure<DurableTaskRegistry>(Options.DefaultName, registry =>
            {
                registry.AddOrchestratorFunc<int, bool>("Gathered", (ctx, n) => ctx.CallActivityAsync<bool>("Gather", n));
                registry.AddActivityFunc<int, bool>("Gather", (_, _) =>
                {
                    allInFlight.Signal();
                    return allInFlight.Wait(TimeSpan.FromSeconds(20), cts.Token);
                });
            }));
        await app.StartAsync(cts.Token);
        DurableTaskClient client = app.Services.GetRequiredService<DurableTaskClient>();

        string[] ids = await Task.WhenAll(Enumerable.Range(0, count)
            .Select(i => client.ScheduleNewOrchestrationInstanceAsync("Gathered", i, cts.Token)));
        OrchestrationMetadata[] done = await Task.WhenAll(ids.Select(id => client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, cts.Token)));

        Assert.All(done, m => Assert.Equal(OrchestrationRuntimeStatus.Completed, m.RuntimeStatus));
        Assert.All(done, m => Assert.True(m.ReadOutputAs<bool>()));
        await app.StopAsync(cts.Token);
    }
}
