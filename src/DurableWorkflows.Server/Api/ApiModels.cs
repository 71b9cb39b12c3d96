using System.Text.Json;
using DurableWorkflows.Core.Contracts;

namespace DurableWorkflows.Server.Api;

/// <summary>The body of <c>POST /api/workflows</c>.</summary>
/// <param name="Template">The workflow template (YAML).</param>
/// <param name="Vars">Template variables.</param>
/// <param name="Id">The workflow id; a new UUID when absent.</param>
/// <param name="Hardware">The machine's Hardware record, read by the template as <c>.Hardware</c>: the name of a stored
/// record (<c>PUT /api/hardware/{name}</c>), or a Hardware object inline; absent for none.</param>
public sealed record StartWorkflowRequest(string? Template, Dictionary<string, string>? Vars, string? Id, JsonElement? Hardware = null);

/// <summary>The body of <c>POST /api/templates/validate</c>; <paramref name="Hardware"/> as in a start.</summary>
public sealed record ValidateTemplateRequest(string? Template, Dictionary<string, string>? Vars, JsonElement? Hardware = null);

/// <summary>The optional body of <c>POST /api/workflows/{id}/rerun</c>: the new workflow's id (a new UUID when absent).</summary>
public sealed record RerunWorkflowRequest(string? Id);

/// <summary><c>GET /api/workflows/{id}/origin</c>: what the workflow was made from (null fields for a workflow started before they were kept), and its re-runs.</summary>
public sealed record WorkflowOriginView(
    string Id,
    string Name,
    DurableWorkflows.Core.Templates.WorkflowDefinition Definition,
    string? RenderedTemplate,
    IReadOnlyDictionary<string, string> Vars,
    System.Text.Json.Nodes.JsonNode? Hardware,
    string? RerunOf,
    IReadOnlyList<string> Reruns);

/// <summary>The optional body of cancel and terminate.</summary>
public sealed record StopWorkflowRequest(string? Reason);

/// <summary>The answer to a start: the id and where to manage the workflow, as Durable Functions returns them.</summary>
public sealed record WorkflowManagementUris(
    string Id,
    string StatusQueryGetUri,
    string CancelPostUri,
    string TerminatePostUri,
    string PurgeHistoryDeleteUri,
    string EventsGetUri,
    string LogsGetUri);

/// <summary>One row of <c>GET /api/workflows</c>.</summary>
/// <param name="ActionsDone">Actions that ended (any final state) of <paramref name="ActionsTotal"/>.</param>
/// <param name="Worker">The worker of the current task (or of the last one that ran).</param>
/// <param name="Agent">The agent that runs (or ran) the current action, when an agent serves its worker.</param>
public sealed record WorkflowSummary(
    string Id,
    string Name,
    string State,
    string RuntimeStatus,
    DateTimeOffset? CreatedAt,
    DateTimeOffset? FinishedAt,
    DateTimeOffset LastUpdatedAt,
    string? Message,
    DateTimeOffset? StartedAt = null,
    int ActionsDone = 0,
    int ActionsTotal = 0,
    string? CurrentTask = null,
    string? CurrentAction = null,
    string? Worker = null,
    string? Agent = null)
{
    /// <summary>The row of one workflow's snapshot.</summary>
    public static WorkflowSummary Of(Workflows.WorkflowSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        WorkflowStatus s = snapshot.Status;
        ActionStatus[] actions = [.. s.Tasks.SelectMany(t => t.Actions)];
        WorkflowTaskStatus? task = s.Tasks.FirstOrDefault(t => t.Name == s.CurrentTask)
            ?? s.Tasks.LastOrDefault(t => t.State != ActionState.PENDING);
        ActionStatus? action = task?.Actions.FirstOrDefault(a => a.Name == s.CurrentAction) ?? task?.Actions.LastOrDefault(a => a.Attempt > 0);
        return new WorkflowSummary(
            s.Id,
            s.Name,
            s.State.ToString(),
            snapshot.RuntimeStatus.ToString(),
            s.CreatedAt,
            s.FinishedAt,
            snapshot.LastUpdatedAt,
            s.Message,
            s.StartedAt,
            actions.Count(a => a.State is not (ActionState.PENDING or ActionState.RUNNING)),
            actions.Length,
            s.CurrentTask,
            s.CurrentAction,
            task?.Worker,
            action?.Agent);
    }
}

/// <summary>The body of <c>GET /api/workflows</c>.</summary>
public sealed record WorkflowList(IReadOnlyList<WorkflowSummary> Workflows, string? ContinuationToken);

/// <summary>One saved container log.</summary>
public sealed record ContainerLogEntry(string Container, string Text);

/// <summary>A valid template's outline.</summary>
public sealed record TemplateSummary(bool Valid, string Name, IReadOnlyList<string> Services, IReadOnlyList<string> Tasks);

/// <summary>One template error, where it is.</summary>
public sealed record TemplateErrorEntry(int Line, int Column, string Message);

/// <summary>
/// The body of <c>POST /api/schedules</c>, and of <c>PUT /api/schedules/{name}</c>: there each field given replaces the
/// schedule's and each one left out keeps it (<c>vars</c> replaces the whole set); <c>name</c>, when given, must be the
/// route's, since a schedule is not renamed.
/// </summary>
/// <param name="Overlap"><c>skip</c> (the default) or <c>allow</c>.</param>
/// <param name="Hardware">A Hardware object every run's template reads as <c>.Hardware</c> (inline: a schedule keeps its own copy).</param>
public sealed record CreateScheduleRequest(
    string? Name,
    string? Cron,
    string? TimeZone,
    string? Overlap,
    string? Template,
    Dictionary<string, string>? Vars,
    JsonElement? Hardware = null);

/// <summary>The body of <c>GET /api/schedules</c>.</summary>
public sealed record ScheduleList(IReadOnlyList<ScheduleStatus> Schedules);

/// <summary>One row of <c>GET /api/hardware</c>.</summary>
/// <param name="AgentID">The agent that dials the server for the machine (tink's <c>spec.agentID</c>), or null.</param>
public sealed record HardwareSummary(string Name, string? DockerEndpoint, IReadOnlyList<string> Macs, IReadOnlyList<string> Disks, DateTimeOffset UpdatedAt, string? AgentID = null);

/// <summary>The body of <c>GET /api/hardware</c>.</summary>
public sealed record HardwareList(IReadOnlyList<HardwareSummary> Hardware);

/// <summary>A stored template (<c>GET /api/templates/{name}</c>): its text as it was put (a template, or Tinkerbell's Template object).</summary>
public sealed record StoredTemplate(string Name, string Template, DateTimeOffset UpdatedAt);

/// <summary><c>GET /api/templates</c>: every stored template's name and when it was put.</summary>
public sealed record TemplateList(IReadOnlyList<StoredTemplateSummary> Templates);

public sealed record StoredTemplateSummary(string Name, DateTimeOffset UpdatedAt);
