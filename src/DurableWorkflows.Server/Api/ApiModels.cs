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
public sealed record WorkflowSummary(
    string Id,
    string Name,
    string State,
    string RuntimeStatus,
    DateTimeOffset? CreatedAt,
    DateTimeOffset? FinishedAt,
    DateTimeOffset LastUpdatedAt,
    string? Message);

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
public sealed record HardwareSummary(string Name, string? DockerEndpoint, IReadOnlyList<string> Macs, IReadOnlyList<string> Disks, DateTimeOffset UpdatedAt);

/// <summary>The body of <c>GET /api/hardware</c>.</summary>
public sealed record HardwareList(IReadOnlyList<HardwareSummary> Hardware);

/// <summary>A stored template (<c>GET /api/templates/{name}</c>): its text as it was put (a template, or Tinkerbell's Template object).</summary>
public sealed record StoredTemplate(string Name, string Template, DateTimeOffset UpdatedAt);

/// <summary><c>GET /api/templates</c>: every stored template's name and when it was put.</summary>
public sealed record TemplateList(IReadOnlyList<StoredTemplateSummary> Templates);

public sealed record StoredTemplateSummary(string Name, DateTimeOffset UpdatedAt);
