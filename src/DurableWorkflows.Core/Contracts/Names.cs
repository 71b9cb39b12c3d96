namespace DurableWorkflows.Core.Contracts;

/// <summary>Names of the orchestrations, shared by the worker that registers them and the clients that start them.</summary>
public static class OrchestrationNames
{
    public const string Workflow = "WorkflowOrchestrator";
    public const string Schedule = "ScheduleOrchestrator";

    /// <summary>One stored Hardware record (instance <c>hardware:{name}</c>, input <see cref="StoredRecord"/>); it ends at once, its input is the record.</summary>
    public const string HardwareRecord = "HardwareRecordOrchestrator";
}

/// <summary>Names of the activities the orchestrations call (input -> output).</summary>
public static class ActivityNames
{
    /// <summary><see cref="StartServiceInput"/> -> <see cref="ServiceStarted"/>.</summary>
    public const string StartService = "StartService";

    /// <summary><see cref="AwaitServiceHealthyInput"/> -> <see cref="ServiceReadiness"/>; called again while Pending.</summary>
    public const string AwaitServiceHealthy = "AwaitServiceHealthy";

    /// <summary><see cref="InspectServicesInput"/> -> <c>IReadOnlyList&lt;ServiceObservation&gt;</c>.</summary>
    public const string InspectServices = "InspectServices";

    /// <summary><see cref="StartActionInput"/> -> <see cref="ActionStarted"/>.</summary>
    public const string StartAction = "StartAction";

    /// <summary>
    /// <see cref="StartActionInput"/> -> <see cref="ActionPrepared"/>: creates an action's container without starting it,
    /// while the action before it runs, so its start is one call (settings revision 1 and later).
    /// </summary>
    public const string PrepareAction = "PrepareAction";

    /// <summary><see cref="WaitActionInput"/> -> <see cref="ActionWaitResult"/>; called again while Running.</summary>
    public const string WaitAction = "WaitAction";

    /// <summary><see cref="CleanupWorkflowInput"/> -> <see cref="CleanupResult"/>.</summary>
    public const string CleanupWorkflow = "CleanupWorkflow";
    public const string StartScheduledRun = "StartScheduledRun";
    public const string GetRunState = "GetRunState";
}

/// <summary>Type names of activity failures the orchestrations react to (they do not reference the types themselves).</summary>
public static class ErrorTypes
{
    /// <summary>The Docker engine of a step could not be reached or did not answer in time.</summary>
    public const string DockerUnreachable = "DurableWorkflows.Containers.DockerUnreachableException";
}

/// <summary>Names of the external events the orchestrations wait for.</summary>
public static class EventNames
{
    /// <summary>Payload: <see cref="CancelRequest"/>.</summary>
    public const string Cancel = "cancel";

    /// <summary>A <see cref="ScheduleCommand"/> to a schedule (pause, resume, run now, update, delete).</summary>
    public const string ScheduleCommand = "schedule-command";

    /// <summary>An <see cref="AgentReport"/>: what an agent says of the action it was offered.</summary>
    public const string AgentReport = "agent-report";
}

/// <summary>The labels every container of a workflow carries (docs/ARCHITECTURE.md, Containers).</summary>
public static class ContainerLabels
{
    public const string Prefix = "io.durableworkflows.";
    public const string WorkflowId = Prefix + "workflow-id";
    public const string Role = Prefix + "role";
    public const string Task = Prefix + "task";
    public const string Action = Prefix + "action";
    public const string Service = Prefix + "service";
    public const string Attempt = Prefix + "attempt";

    /// <summary>The task hub whose server made the container; a server's reaper looks only at its own hub's containers.</summary>
    public const string TaskHub = Prefix + "task-hub";

    /// <summary>The agent that ran the container on its machine (<c>dwf agent</c>): what it sweeps after a restart.</summary>
    public const string Agent = Prefix + "agent";

    /// <summary>
    /// On an action's container started ahead of its turn (Docker:StartAhead): its first process is a waiter until it is
    /// released into the action's own command.
    /// </summary>
    public const string Held = Prefix + "held";
}

/// <summary>What a container is for; the value of <see cref="ContainerLabels.Role"/>.</summary>
public enum ContainerRole
{
    Service,
    Action,
    Handler,
}
