using System.Text.Json.Serialization;
using DurableWorkflows.Core.Scheduling;

namespace DurableWorkflows.Core.Contracts;

/// <summary>What a schedule does when an occurrence comes while its previous run is still active.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ScheduleOverlap>))]
public enum ScheduleOverlap
{
    /// <summary>Skip the occurrence and record the skip (the default).</summary>
    [JsonStringEnumMemberName("skip")]
    Skip,

    /// <summary>Start the run anyway.</summary>
    [JsonStringEnumMemberName("allow")]
    Allow,
}

/// <summary>What a user defines: a template run on a cron rhythm.</summary>
/// <param name="Name">The schedule's name (<see cref="ScheduleNames.Validate"/>); its runs are <c>{Name}-{occurrence}</c>.</param>
/// <param name="Cron">Five fields, or six with seconds first.</param>
/// <param name="TimeZone">An IANA time zone id; null means UTC.</param>
/// <param name="Template">The template text, rendered for each run with the run's workflow id.</param>
/// <param name="Hardware">A Hardware record (YAML or JSON) every run's template reads as <c>.Hardware</c>; null for none.</param>
public sealed record ScheduleSpec(
    string Name,
    string Cron,
    string? TimeZone,
    ScheduleOverlap Overlap,
    string Template,
    IReadOnlyDictionary<string, string> Vars,
    string? Hardware = null);

/// <summary>One run a schedule started (or tried to start), with its state as last seen.</summary>
/// <param name="State">A workflow state (PENDING, RUNNING, SUCCESS, ...), or NOT_STARTED with <paramref name="Error"/>.</param>
public sealed record ScheduledRun(
    string Id,
    DateTimeOffset Occurrence,
    string State,
    bool Manual = false,
    string? Error = null);

/// <summary>An occurrence that started no run, and why.</summary>
public sealed record SkippedOccurrence(DateTimeOffset Occurrence, string Reason);

/// <summary>The schedule orchestration's input, carried from one execution to the next by ContinueAsNew.</summary>
/// <param name="Cursor">The last occurrence dealt with (run or skipped), or when the schedule was created or resumed;
/// the next occurrence is the first one after it. Null before the first execution.</param>
public sealed record ScheduleState(
    ScheduleSpec Spec,
    bool Paused = false,
    DateTimeOffset? Cursor = null,
    DateTimeOffset? CreatedAt = null,
    IReadOnlyList<ScheduledRun>? Runs = null,
    IReadOnlyList<SkippedOccurrence>? Skipped = null)
{
    [JsonIgnore]
    public IReadOnlyList<ScheduledRun> RunList => Runs ?? [];

    [JsonIgnore]
    public IReadOnlyList<SkippedOccurrence> SkippedList => Skipped ?? [];

    /// <summary>
    /// The state after <paramref name="change"/> at <paramref name="now"/>: the name, runs, skips and pause stay. A new
    /// cron or time zone counts from <paramref name="now"/>, so a changed rhythm triggers no catch-up; otherwise the
    /// next occurrence stays what it was.
    /// </summary>
    public ScheduleState With(ScheduleChange change, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(change);
        var spec = change.ApplyTo(Spec);
        var rhythmChanged = spec.Cron != Spec.Cron || spec.TimeZone != Spec.TimeZone;
        return this with { Spec = spec, Cursor = rhythmChanged || Cursor is null ? now : Cursor };
    }
}

/// <summary>A change of a schedule's definition (<c>PUT /api/schedules/{name}</c>): each field given replaces the
/// schedule's, each null one keeps it. The name never changes.</summary>
/// <param name="TimeZone">An IANA time zone id; empty means UTC.</param>
/// <param name="Vars">The whole new set of variables (not merged with the old one).</param>
/// <param name="Hardware">A new Hardware record (YAML or JSON) for every run's template.</param>
public sealed record ScheduleChange(
    string? Cron = null,
    string? TimeZone = null,
    ScheduleOverlap? Overlap = null,
    string? Template = null,
    IReadOnlyDictionary<string, string>? Vars = null,
    string? Hardware = null)
{
    [JsonIgnore]
    public bool IsEmpty => Cron is null && TimeZone is null && Overlap is null && Template is null && Vars is null && Hardware is null;

    public ScheduleSpec ApplyTo(ScheduleSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec with
        {
            Cron = Cron ?? spec.Cron,
            TimeZone = TimeZone is null ? spec.TimeZone : TimeZone.Length == 0 ? null : TimeZone,
            Overlap = Overlap ?? spec.Overlap,
            Template = Template ?? spec.Template,
            Vars = Vars ?? spec.Vars,
            Hardware = Hardware ?? spec.Hardware,
        };
    }
}

public enum ScheduleCommandKind
{
    Pause,
    Resume,
    RunNow,
    Update,
    Delete,
}

/// <summary>The one external event a schedule listens to (<see cref="EventNames.ScheduleCommand"/>).</summary>
/// <param name="Change">What <see cref="ScheduleCommandKind.Update"/> changes; applied by the schedule to its own
/// current definition, so two updates in a row both take effect.</param>
public sealed record ScheduleCommand(ScheduleCommandKind Kind, ScheduleChange? Change = null);

/// <summary>A schedule's custom status: what <c>dwf schedule show</c> and <c>GET /api/schedules/{name}</c> print.</summary>
public sealed record ScheduleStatus(
    string Name,
    string Cron,
    string TimeZone,
    ScheduleOverlap Overlap,
    bool Paused,
    bool Deleted,
    DateTimeOffset? NextOccurrence,
    DateTimeOffset? CreatedAt,
    IReadOnlyList<ScheduledRun> Runs,
    IReadOnlyList<SkippedOccurrence> Skipped,
    string? Error = null);

/// <summary>Start the workflow of one occurrence under its deterministic id; an existing instance counts as started.</summary>
public sealed record StartScheduledRunInput(
    string ScheduleName,
    string RunId,
    DateTimeOffset Occurrence,
    string Template,
    IReadOnlyDictionary<string, string> Vars,
    string? Hardware = null);

/// <summary>
/// The outcome of <see cref="StartScheduledRunInput"/>: <paramref name="Started"/> (by this call or an earlier one,
/// <paramref name="AlreadyExisted"/>), or not started because the template is invalid (<paramref name="Error"/>).
/// </summary>
public sealed record ScheduledRunStarted(bool Started, bool AlreadyExisted, string? Error = null);

/// <summary>The state of a workflow instance as a schedule sees it.</summary>
/// <param name="State">The workflow's state (PENDING, RUNNING, SUCCESS, ...), or UNKNOWN when it does not exist.</param>
public sealed record RunState(string RunId, bool Exists, bool Active, string State);
