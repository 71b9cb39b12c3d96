namespace DurableWorkflows.Core.Contracts;

/// <summary>Names of the orchestrations, shared by the worker that registers them and the clients that start them.</summary>
public static class OrchestrationNames
{
    public const string Workflow = "WorkflowOrchestrator";
    public const string Schedule = "ScheduleOrchestrator";
}

/// <summary>Names of the activities the orchestrations call.</summary>
public static class ActivityNames
{
    public const string StartService = "StartService";
    public const string AwaitServiceHealthy = "AwaitServiceHealthy";
    public const string InspectServices = "InspectServices";
    public const string StartAction = "StartAction";
    public const string WaitAction = "WaitAction";
    public const string CleanupWorkflow = "CleanupWorkflow";
}

/// <summary>Names of the external events the orchestrations wait for.</summary>
public static class EventNames
{
    public const string Cancel = "cancel";
}

/// <summary>The labels every container of a workflow carries (DESIGN §5).</summary>
public static class ContainerLabels
{
    public const string Prefix = "io.durableworkflows.";
    public const string WorkflowId = Prefix + "workflow-id";
    public const string Role = Prefix + "role";
    public const string Task = Prefix + "task";
    public const string Action = Prefix + "action";
    public const string Service = Prefix + "service";
    public const string Attempt = Prefix + "attempt";
}

/// <summary>What a container is for; the value of <see cref="ContainerLabels.Role"/>.</summary>
public enum ContainerRole
{
    Service,
    Action,
    Handler,
}
