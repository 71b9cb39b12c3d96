using System.Text.Json.Serialization;

namespace DurableWorkflows.Core.Contracts;

/// <summary>The states of a workflow (Tinkerbell's names). Serialized as their names.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<WorkflowState>))]
public enum WorkflowState
{
    PENDING,
    RUNNING,
    SUCCESS,
    FAILED,
    TIMEOUT,
    CANCELLED,
}

/// <summary>The states of one action.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ActionState>))]
public enum ActionState
{
    PENDING,
    RUNNING,
    SUCCESS,
    FAILED,
    TIMEOUT,
    CANCELLED,
    SKIPPED,
}
