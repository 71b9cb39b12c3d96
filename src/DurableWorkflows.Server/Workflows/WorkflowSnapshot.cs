using System.Text.Json;
using System.Text.Json.Nodes;
using DurableWorkflows.Core.Contracts;
using Microsoft.DurableTask.Client;

namespace DurableWorkflows.Server.Workflows;

/// <summary>
/// A workflow as a client sees it: its <see cref="WorkflowStatus"/> (the orchestration's output once it ended,
/// its custom status while it runs) and the runtime's own status beside it.
/// </summary>
public sealed record WorkflowSnapshot(WorkflowStatus Status, OrchestrationRuntimeStatus RuntimeStatus, DateTimeOffset LastUpdatedAt)
{
    /// <summary>The JSON the API and <c>--json</c> print: camelCase, states by name.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>True when the orchestration itself ended (completed, failed or terminated).</summary>
    public bool IsFinished => RuntimeStatus is OrchestrationRuntimeStatus.Completed
        or OrchestrationRuntimeStatus.Failed
        or OrchestrationRuntimeStatus.Terminated;

    /// <summary>The status body: the workflow status itself with <c>runtimeStatus</c> and <c>lastUpdatedAt</c> beside its fields.</summary>
    public JsonObject ToJson()
    {
        JsonObject json = JsonSerializer.SerializeToNode(Status, JsonOptions)!.AsObject();
        json["runtimeStatus"] = RuntimeStatus.ToString();
        json["lastUpdatedAt"] = LastUpdatedAt;
        return json;
    }

    /// <summary>Reads the workflow's status from the runtime's record of it (fetched with inputs and outputs).</summary>
    public static WorkflowSnapshot From(OrchestrationMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        WorkflowStatus status = ReadStatus(metadata);
        switch (metadata.RuntimeStatus)
        {
            case OrchestrationRuntimeStatus.Failed when !status.IsFinished:
                status = status with
                {
                    State = WorkflowState.FAILED,
                    FinishedAt = metadata.LastUpdatedAt,
                    Message = metadata.FailureDetails?.ErrorMessage ?? "the workflow's orchestration failed",
                };
                break;
            case OrchestrationRuntimeStatus.Terminated when !status.IsFinished:
                status = status with
                {
                    State = WorkflowState.CANCELLED,
                    FinishedAt = metadata.LastUpdatedAt,
                    Message = $"terminated{(metadata.SerializedOutput is { Length: > 0 } reason ? $": {reason.Trim('"')}" : "")}",
                };
                break;
        }

        return new WorkflowSnapshot(status, metadata.RuntimeStatus, metadata.LastUpdatedAt);
    }

    private static WorkflowStatus ReadStatus(OrchestrationMetadata metadata)
    {
        if (metadata.RuntimeStatus == OrchestrationRuntimeStatus.Completed && TryRead(() => metadata.ReadOutputAs<WorkflowStatus>()) is { } output)
        {
            return output;
        }

        if (TryRead(() => metadata.ReadCustomStatusAs<WorkflowStatus>()) is { } custom)
        {
            return custom;
        }

        // Not run yet: what the input says it will be.
        if (TryRead(() => metadata.ReadInputAs<WorkflowInput>()) is { } input)
        {
            return WorkflowStatus.Pending(metadata.InstanceId, input.Definition, metadata.CreatedAt);
        }

        return new WorkflowStatus(metadata.InstanceId, metadata.Name, WorkflowState.PENDING, [], [], null, null, metadata.CreatedAt, null, null, null, []);
    }

    private static T? TryRead<T>(Func<T?> read)
        where T : class
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException)
        {
            return null;
        }
    }
}
