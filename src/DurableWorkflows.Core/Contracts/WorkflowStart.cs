using DurableWorkflows.Core.Hardware;
using DurableWorkflows.GoTemplates;

namespace DurableWorkflows.Core.Contracts;

/// <summary>The Hardware record a workflow renders with: one stored on the server by name, one given inline as text, or one already read.</summary>
public sealed record HardwareSource
{
    private HardwareSource()
    {
    }

    /// <summary>The name of a record in the server's inventory.</summary>
    public string? StoredName { get; private init; }

    /// <summary>A record's text (YAML or JSON), read when the workflow starts.</summary>
    public string? Text { get; private init; }

    /// <summary>A record already read (by <c>dwf run --hardware</c>, which reports its errors at the file's line:column).</summary>
    public HardwareRecord? Record { get; private init; }

    public static HardwareSource Stored(string name) => new() { StoredName = name };

    public static HardwareSource Inline(string text) => new() { Text = text };

    public static HardwareSource Of(HardwareRecord record) => new() { Record = record };
}

/// <summary>A workflow to start: its id, its template and variables, and the machine's Hardware record if any.</summary>
public sealed record WorkflowStartRequest(
    string WorkflowId,
    string Template,
    IReadOnlyDictionary<string, string>? Vars = null,
    HardwareSource? Hardware = null);

public enum WorkflowStartOutcome
{
    /// <summary>Prepared (and, for a start, scheduled).</summary>
    Started,

    /// <summary>A workflow with that id exists (running or ended): nothing was started.</summary>
    AlreadyExists,

    /// <summary>The Hardware record is not valid (<see cref="WorkflowStartResult.Errors"/>), or its name is not (<see cref="WorkflowStartResult.Message"/>).</summary>
    InvalidHardware,

    /// <summary>No stored Hardware record has that name.</summary>
    UnknownHardware,

    /// <summary>No stored template has the name a Workflow object's <c>templateRef</c> gives.</summary>
    UnknownTemplate,

    /// <summary>The template does not render, parse or validate (<see cref="WorkflowStartResult.Errors"/>, each at its line:column).</summary>
    InvalidTemplate,

    /// <summary>A re-run names no workflow (<see cref="WorkflowStartResult.Message"/>).</summary>
    UnknownWorkflow,
}

/// <param name="Input">The orchestration's input (definition and settings of a new run) once prepared.</param>
public sealed record WorkflowStartResult(
    WorkflowStartOutcome Outcome,
    string WorkflowId,
    WorkflowInput? Input = null,
    IReadOnlyList<TemplateError>? Errors = null,
    string? Message = null)
{
    public IReadOnlyList<TemplateError> Errors { get; init; } = Errors ?? [];
}

/// <summary>
/// The one path by which workflows start, for the API, <c>dwf run</c> and schedules: the Hardware record resolved, the
/// template rendered with it and validated, the settings of a new run, then the orchestration scheduled under the id
/// unless one exists.
/// </summary>
public interface IWorkflowStarter
{
    /// <summary>Everything a start does but scheduling: what the workflow would run, or why it cannot.</summary>
    Task<WorkflowStartResult> PrepareAsync(WorkflowStartRequest request, CancellationToken cancellationToken = default);

    /// <summary>Prepares, then schedules the workflow; <see cref="WorkflowStartOutcome.AlreadyExists"/> when its id is taken.</summary>
    Task<WorkflowStartResult> StartAsync(WorkflowStartRequest request, CancellationToken cancellationToken = default);
}
