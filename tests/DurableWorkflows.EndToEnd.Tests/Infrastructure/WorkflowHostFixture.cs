using DurableWorkflows.Containers;
using DurableWorkflows.Core.Contracts;
using DurableWorkflows.Core.Templates;
using DurableWorkflows.Server.Hosting;
using DurableWorkflows.Server.Workflows;
using DurableWorkflows.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DurableWorkflows.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The host <c>dwf run</c> uses (sidecar on the memory backend, worker, client), started once per test class,
/// against the Docker engine of DOCKER_HOST. Its intervals are shrunk so the tests are fast.
/// </summary>
public sealed class WorkflowHostFixture : IAsyncLifetime
{
    private WebApplication? host;

    public WorkflowManager Manager { get; private set; } = null!;

    public WorkflowStarter Starter { get; private set; } = null!;

    public DockerFacts Docker { get; } = new();

    /// <summary>The data directory of this host: per-workflow folders (mounted at /workflow) and saved logs.</summary>
    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "dwf-e2e-" + Guid.NewGuid().ToString("N")[..12]);

    /// <summary>The settings the tests shrink (see <see cref="TestHostSettings"/>).</summary>
    public static IReadOnlyDictionary<string, string?> TestSettings(string dataDirectory) => TestHostSettings.For(dataDirectory);

    public async Task InitializeAsync()
    {
        await Docker.EnsureImagesAsync();
        Directory.CreateDirectory(DataDirectory);
        host = WorkflowHost.Build(ServerRole.Run, TestSettings(DataDirectory));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await host.StartAsync(cts.Token);
        Manager = host.Services.GetRequiredService<WorkflowManager>();
        Starter = host.Services.GetRequiredService<WorkflowStarter>();
    }

    public async Task DisposeAsync()
    {
        if (host is not null)
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await host.StopAsync(cts.Token);
            await host.DisposeAsync();
        }

        Docker.Dispose();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>Loads <paramref name="yaml"/> for a new workflow id; fails the test with every template error.</summary>
    public static (string WorkflowId, WorkflowDefinition Definition) Load(string yaml, IReadOnlyDictionary<string, string>? vars = null)
    {
        string workflowId = WorkflowManager.NewWorkflowId();
        TemplateLoadResult loaded = WorkflowTemplate.Load(yaml, new TemplateData(vars ?? new Dictionary<string, string>(), workflowId));
        Assert.True(loaded.IsValid, string.Join('\n', loaded.Errors.Select(e => e.ToString())));
        return (workflowId, loaded.Definition!);
    }

    /// <summary>Starts the workflow and waits (bounded by <paramref name="cancellationToken"/>) until it ends; returns its final status.</summary>
    public async Task<WorkflowStatus> RunAsync(string workflowId, WorkflowDefinition definition, CancellationToken cancellationToken)
    {
        await StartAsync(workflowId, definition, cancellationToken);
        return await WaitFinishedAsync(workflowId, cancellationToken);
    }

    /// <summary>Schedules the workflow as a start does, with the settings of a new run.</summary>
    public async Task StartAsync(string workflowId, WorkflowDefinition definition, CancellationToken cancellationToken)
    {
        var input = new WorkflowInput(workflowId, definition, WorkflowSettings.ForNewRun(host!.Services.GetRequiredService<IOptions<DockerOptions>>().Value.MaxWait, definition));
        Assert.Equal(WorkflowStartOutcome.Started, await Starter.ScheduleAsync(input, cancellationToken));
    }

    public async Task<WorkflowStatus> WaitFinishedAsync(string workflowId, CancellationToken cancellationToken)
    {
        WorkflowSnapshot snapshot = await WaitForAsync(workflowId, s => s.IsFinished, cancellationToken);
        return snapshot.Status;
    }

    /// <summary>Polls the workflow until <paramref name="condition"/> holds (bounded by <paramref name="cancellationToken"/>).</summary>
    public async Task<WorkflowSnapshot> WaitForAsync(string workflowId, Func<WorkflowSnapshot, bool> condition, CancellationToken cancellationToken)
    {
        WorkflowSnapshot? last = null;
        try
        {
            while (true)
            {
                last = await Manager.GetAsync(workflowId, cancellationToken);
                if (last is not null && condition(last))
                {
                    return last;
                }

                await Task.Delay(100, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"workflow {workflowId}: the awaited condition did not hold in time; last status: {last?.ToJson().ToJsonString(WorkflowSnapshot.JsonOptions) ?? "none"}");
            throw;
        }
    }
}
