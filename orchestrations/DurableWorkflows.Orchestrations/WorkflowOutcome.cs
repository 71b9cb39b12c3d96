using DurableWorkflows.Core.Contracts;

namespace DurableWorkflows.Orchestrations;

/// <summary>How a workflow's body (or the race around it) ended.</summary>
internal sealed record WorkflowOutcome(WorkflowState State, string? Message);
