using System.Text.Json;
using DurableWorkflows.Core.Contracts;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace DurableWorkflows.Activities;

/// <summary>The state of one workflow instance (a schedule's previous run): the workflow's own state when it reports one.</summary>
public sealed class GetRunStateActivity(DurableTaskClient client) : TaskActivity<string, RunState>
{
    /// <summary>The state of a run that does not exist (never started, or purged).</summary>
    public const string Unknown = "UNKNOWN";

    public override async Task<RunState> RunAsync(TaskActivityContext context, string input)
    {
        ArgumentException.ThrowIfNullOrEmpty(input);
        return From(input, await client.GetInstanceAsync(input, getInputsAndOutputs: true));
    }

    /// <summary>The state of run <paramref name="runId"/> from its instance's metadata (null: it does not exist).</summary>
    public static RunState From(string runId, OrchestrationMetadata? metadata)
    {
        if (metadata is null)
        {
            return new RunState(runId, Exists: false, Active: false, Unknown);
        }

        var active = metadata.RuntimeStatus is OrchestrationRuntimeStatus.Pending
            or OrchestrationRuntimeStatus.Running
            or OrchestrationRuntimeStatus.Suspended;
        var runtime = metadata.RuntimeStatus.ToString().ToUpperInvariant();
        var state = WorkflowStateOf(metadata.SerializedCustomStatus);

        // A workflow that ended without publishing its final state (it crashed, or was terminated) reports its runtime status.
        if (state is null || (!active && state is nameof(WorkflowState.PENDING) or nameof(WorkflowState.RUNNING)))
        {
            state = runtime;
        }

        return new RunState(runId, Exists: true, active, state);
    }

    /// <summary>The <c>state</c> property of a workflow's custom status, or null when it has none.</summary>
    internal static string? WorkflowStateOf(string? customStatus)
    {
        if (string.IsNullOrEmpty(customStatus))
        {
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(customStatus);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            foreach (var property in doc.RootElement.EnumerateObject())
            {
                if (property.NameEquals("state") || property.NameEquals("State"))
                {
                    return property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : null;
                }
            }

            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
