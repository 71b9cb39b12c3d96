using DurableWorkflows.Core.Contracts;
using DurableWorkflows.Core.Templates;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace DurableWorkflows.Orchestrations.Tests.Infrastructure;

/// <summary>Builds workflow definitions and runs them on the test host.</summary>
public static class Workflows
{
    /// <summary>Short waits and backoffs so the tests run in seconds; the latest revision, as new runs get.</summary>
    public static WorkflowSettings Fast { get; } = new()
    {
        Revision = WorkflowSettings.LatestRevision,
        MaxWait = TimeSpan.FromMilliseconds(200),
        FirstWait = TimeSpan.FromMilliseconds(100),
        RetryBackoff = TimeSpan.FromMilliseconds(100),
        MaxRetryBackoff = TimeSpan.FromMilliseconds(300),
        CleanupAttempts = 3,
        CleanupRetryInterval = TimeSpan.FromMilliseconds(100),
        EngineUnreachableAttempts = 3,
        EngineUnreachableRetryInterval = TimeSpan.FromMilliseconds(100),
    };

    public static ActionDefinition Action(
        string name,
        int? timeout = null,
        int retries = 0,
        IReadOnlyList<string>? onFailure = null,
        IReadOnlyList<string>? onTimeout = null) =>
        new(name, "dwf-busybox:latest", timeout, ["true"], new Dictionary<string, string>(), [], null, onTimeout, onFailure, retries);

    public static TaskDefinition Task(string name, params ActionDefinition[] actions) =>
        new(name, "worker-1", ["/tmp:/tmp"], new Dictionary<string, string> { ["K"] = "V" }, actions);

    public static ServiceDefinition Service(string name, TimeSpan? startupTimeout = null) =>
        new(name, "provisioner", "dwf-busybox:latest", new Dictionary<string, string>(), new Dictionary<string, string>(), [], ["httpd", "-f"], null, RestartPolicy.Default, startupTimeout ?? TimeSpan.FromSeconds(30));

    public static WorkflowDefinition Workflow(int globalTimeout, IReadOnlyList<ServiceDefinition> services, params TaskDefinition[] tasks) =>
        new("0.1", "test", globalTimeout, services, tasks);

    public static string NewId(string name) => $"{name}-{Guid.NewGuid():N}"[..Math.Min(name.Length + 13, 60)];

    public static async Task<string> ScheduleAsync(
        OrchestrationHost host, string id, WorkflowDefinition definition, CancellationToken cancellation, WorkflowSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        return await host.Client.ScheduleNewOrchestrationInstanceAsync(
            OrchestrationNames.Workflow,
            new WorkflowInput(id, definition, settings ?? Fast),
            new StartOrchestrationOptions(id),
            cancellation);
    }

    /// <summary>Waits for the workflow; it must complete (not fail) as an orchestration; returns its output.</summary>
    public static async Task<WorkflowStatus> CompletionAsync(OrchestrationHost host, string id, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(host);
        OrchestrationMetadata metadata = await host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, cancellation);
        Assert.True(
            metadata.RuntimeStatus == OrchestrationRuntimeStatus.Completed,
            $"runtime status {metadata.RuntimeStatus}: {metadata.FailureDetails}");
        WorkflowStatus? status = metadata.ReadOutputAs<WorkflowStatus>();
        Assert.NotNull(status);
        return status;
    }

    public static async Task<WorkflowStatus> RunAsync(
        OrchestrationHost host, string id, WorkflowDefinition definition, CancellationToken cancellation, WorkflowSettings? settings = null)
    {
        await ScheduleAsync(host, id, definition, cancellation, settings);
        return await CompletionAsync(host, id, cancellation);
    }
}
