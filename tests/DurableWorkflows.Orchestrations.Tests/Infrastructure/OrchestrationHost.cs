using System.Net;
using DurableWorkflows.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing.Sidecar;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DurableWorkflows.Orchestrations.Tests.Infrastructure;

/// <summary>
/// The in-memory sidecar (TaskHubGrpcServer over the recording backend) on a free loopback port, a worker with
/// the real orchestrations and the fake activities under the real activity names, and a client. One per test
/// collection: tests tell their workflows apart by id.
/// </summary>
public sealed class OrchestrationHost : IAsyncLifetime
{
    private WebApplication? sidecar;
    private IHost? worker;
    private RecordingOrchestrationService? backend;

    public FakeEngine Engine { get; } = new();

    public DurableTaskClient Client { get; private set; } = null!;

    internal RecordingOrchestrationService Backend => backend ?? throw new InvalidOperationException("The host has not started.");

    public async Task InitializeAsync()
    {
        var memory = new InMemoryOrchestrationService();
        backend = new RecordingOrchestrationService(memory);
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http2));
        builder.Services.AddWorkflowSidecar(_ => backend, _ => memory);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        sidecar = builder.Build();
        sidecar.MapWorkflowSidecar();
        await sidecar.StartAsync();
        string address = sidecar.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        HostApplicationBuilder workerBuilder = Host.CreateApplicationBuilder();
        workerBuilder.Logging.ClearProviders();
        workerBuilder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        // The server's worker, with the real orchestrations and the fake engine's activities.
        workerBuilder.Services.AddWorkflowWorker(new Uri(address), registry =>
        {
            registry.AddWorkflowOrchestrations();
            Engine.Register(registry);
        });
        worker = workerBuilder.Build();
        await worker.StartAsync();
        Client = worker.Services.GetRequiredService<DurableTaskClient>();

        // One workflow end to end first, so that the tests' timings do not include start-up and JIT.
        using var warmUp = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await Workflows.RunAsync(this, Workflows.NewId("warmup"), Workflows.Workflow(600, [Workflows.Service("s")], Workflows.Task("t", Workflows.Action("a"))), warmUp.Token);
    }

    public async Task DisposeAsync()
    {
        // The worker first: a sidecar with a connected worker waits for its whole shutdown timeout.
        if (worker is not null)
        {
            await worker.StopAsync();
            worker.Dispose();
        }

        if (sidecar is not null)
        {
            await sidecar.StopAsync();
            await sidecar.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class OrchestrationCollection : ICollectionFixture<OrchestrationHost>
{
    public const string Name = "orchestrations";
}
