using DurableWorkflows.Activities;
using DurableWorkflows.Core.Contracts;
using DurableWorkflows.Core.Hardware;
using DurableWorkflows.Core.Scheduling;
using DurableWorkflows.Server.Workflows;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace DurableWorkflows.Server.Schedules;

/// <summary>What became of a request on a schedule.</summary>
public enum ScheduleOutcome
{
    Ok,
    NotFound,
    Conflict,
    Invalid,
}

/// <summary>The outcome of a request, with the schedule's status (when it exists) or the errors (when invalid).</summary>
public sealed record ScheduleResult(ScheduleOutcome Outcome, ScheduleStatus? Schedule = null, IReadOnlyList<string>? Errors = null)
{
    public static ScheduleResult NotFound { get; } = new(ScheduleOutcome.NotFound);
}

/// <summary>
/// Creates, reads and controls schedules (one <see cref="OrchestrationNames.Schedule"/> instance per schedule, id
/// <c>schedule:{name}</c>) through the Durable Task client; the HTTP API uses it.
/// </summary>
public sealed class ScheduleClient(DurableTaskClient client, IWorkflowStarter starter, TimeProvider? timeProvider = null)
{
    /// <summary>How long <see cref="DeleteAsync"/> lets the schedule end itself before it terminates it.</summary>
    public static TimeSpan DeleteGracePeriod { get; set; } = TimeSpan.FromSeconds(10);

    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    /// <summary>Every problem of a definition: its name, cron expression, time zone and template (each with line:column).</summary>
    public async Task<IReadOnlyList<string>> ValidateAsync(ScheduleSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var errors = new List<string>();
        if (ScheduleNames.Validate(spec.Name) is { } nameError)
        {
            errors.Add(nameError);
        }

        if (ScheduleExpression.TryParse(spec.Cron, spec.TimeZone, out var cronError) is null)
        {
            errors.Add(cronError!);
        }

        if (!Enum.IsDefined(spec.Overlap))
        {
            errors.Add($"overlap '{spec.Overlap}' is not one of skip, allow");
        }

        if (string.IsNullOrWhiteSpace(spec.Template))
        {
            errors.Add("a template is required");
            if (spec.Hardware is not null)
            {
                var parsed = HardwareRecord.Parse(spec.Hardware);
                errors.AddRange(parsed.Errors.Select(e => $"hardware:{e}"));
            }

            return errors;
        }

        // Validated as the first run will see it, by the path every run takes: rendered with a run id of this schedule.
        var runId = ScheduleNames.RunId(string.IsNullOrEmpty(spec.Name) ? "schedule" : spec.Name, _time.GetUtcNow());
        var prepared = await starter.PrepareAsync(
            new WorkflowStartRequest(runId, spec.Template, spec.Vars, spec.Hardware is null ? null : HardwareSource.Inline(spec.Hardware)),
            cancellationToken);
        string prefix = prepared.Outcome == WorkflowStartOutcome.InvalidHardware ? "hardware" : "template";
        errors.AddRange(prepared.Errors.Select(e => $"{prefix}:{e}"));
        return errors;
    }

    /// <summary>Validates and starts a schedule; <see cref="ScheduleOutcome.Conflict"/> when one of that name exists.</summary>
    public async Task<ScheduleResult> CreateAsync(ScheduleSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec = spec with { Vars = spec.Vars ?? new Dictionary<string, string>() };
        var errors = await ValidateAsync(spec, cancellationToken);
        if (errors.Count > 0)
        {
            return new ScheduleResult(ScheduleOutcome.Invalid, Errors: errors);
        }

        var instanceId = ScheduleNames.InstanceId(spec.Name);
        var existing = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken);
        if (existing is not null)
        {
            if (IsActive(existing))
            {
                return new ScheduleResult(ScheduleOutcome.Conflict, Errors: [$"a schedule named '{spec.Name}' already exists"]);
            }

            // A schedule that ended (deleted, or failed) but whose history is still there: its name is free again.
            await client.PurgeInstanceAsync(instanceId, cancellation: cancellationToken);
        }

        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(
                OrchestrationNames.Schedule,
                new ScheduleState(spec),
                new StartOrchestrationOptions(instanceId).WithDedupeStatuses(
                    OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Suspended),
                cancellationToken);
        }
        catch (global::DurableTask.Core.Exceptions.OrchestrationAlreadyExistsException)
        {
            return new ScheduleResult(ScheduleOutcome.Conflict, Errors: [$"a schedule named '{spec.Name}' already exists"]);
        }

        return new ScheduleResult(ScheduleOutcome.Ok, StatusOf(new ScheduleState(spec, CreatedAt: _time.GetUtcNow())));
    }

    /// <summary>Every schedule, by name.</summary>
    public async Task<IReadOnlyList<ScheduleStatus>> ListAsync(CancellationToken cancellationToken = default)
    {
        var query = new OrchestrationQuery { InstanceIdPrefix = ScheduleNames.InstancePrefix, FetchInputsAndOutputs = true, PageSize = 100 };
        var schedules = new List<ScheduleStatus>();
        await foreach (var metadata in client.GetAllInstancesAsync(query).WithCancellation(cancellationToken))
        {
            if (metadata.Name == OrchestrationNames.Schedule && FromMetadata(metadata) is { } status)
            {
                schedules.Add(status);
            }
        }

        return [.. schedules.OrderBy(s => s.Name, StringComparer.Ordinal)];
    }

    /// <summary>One schedule, with the current state of each run it lists.</summary>
    public async Task<ScheduleStatus?> GetAsync(string name, CancellationToken cancellationToken = default)
    {
        var status = await ReadAsync(name, cancellationToken);
        if (status is null)
        {
            return null;
        }

        var runs = new List<ScheduledRun>(status.Runs.Count);
        foreach (var run in status.Runs)
        {
            var seen = run.Error is null
                ? GetRunStateActivity.From(run.Id, await client.GetInstanceAsync(run.Id, getInputsAndOutputs: true, cancellationToken))
                : null;
            runs.Add(seen is { Exists: true } ? run with { State = seen.State } : run);
        }

        return status with { Runs = runs };
    }

    public Task<ScheduleResult> PauseAsync(string name, CancellationToken cancellationToken = default) =>
        SendAsync(name, new ScheduleCommand(ScheduleCommandKind.Pause), cancellationToken);

    public Task<ScheduleResult> ResumeAsync(string name, CancellationToken cancellationToken = default) =>
        SendAsync(name, new ScheduleCommand(ScheduleCommandKind.Resume), cancellationToken);

    /// <summary>Starts a run now (id <c>{name}-{now}</c>), under the schedule's overlap policy.</summary>
    public Task<ScheduleResult> RunNowAsync(string name, CancellationToken cancellationToken = default) =>
        SendAsync(name, new ScheduleCommand(ScheduleCommandKind.RunNow), cancellationToken);

    /// <summary>
    /// Changes the definition of a schedule (cron, time zone, overlap, template, vars) and keeps its name, runs and
    /// skipped occurrences. The changed definition is validated as <see cref="CreateAsync"/> validates a new one; the
    /// schedule applies the change to its own current definition when it receives it.
    /// </summary>
    public async Task<ScheduleResult> UpdateAsync(string name, ScheduleChange change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        var metadata = await ReadMetadataAsync(name, cancellationToken);
        var status = metadata is null ? null : FromMetadata(metadata);
        var state = metadata?.ReadInputAs<ScheduleState>();
        if (status is null || status.Deleted || state is null)
        {
            return ScheduleResult.NotFound;
        }

        if (!IsActive(metadata!))
        {
            return new ScheduleResult(ScheduleOutcome.Conflict, status, [$"schedule '{name}' is not running ({status.Error}); delete it and create it again"]);
        }

        var updated = state.With(change, _time.GetUtcNow());
        var errors = await ValidateAsync(updated.Spec, cancellationToken);
        if (errors.Count > 0)
        {
            return new ScheduleResult(ScheduleOutcome.Invalid, Errors: errors);
        }

        await client.RaiseEventAsync(ScheduleNames.InstanceId(name), EventNames.ScheduleCommand, new ScheduleCommand(ScheduleCommandKind.Update, change), cancellationToken);
        return new ScheduleResult(ScheduleOutcome.Ok, StatusOf(updated));
    }

    /// <summary>
    /// Stops the schedule (no new runs from then on) and deletes its history. Runs it started are workflows of their
    /// own and are left as they are.
    /// </summary>
    public async Task<ScheduleResult> DeleteAsync(string name, CancellationToken cancellationToken = default)
    {
        if (ScheduleNames.Validate(name) is not null)
        {
            return ScheduleResult.NotFound;
        }

        var instanceId = ScheduleNames.InstanceId(name);
        var metadata = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken);
        if (metadata is null || metadata.Name != OrchestrationNames.Schedule)
        {
            return ScheduleResult.NotFound;
        }

        if (IsActive(metadata))
        {
            await client.RaiseEventAsync(instanceId, EventNames.ScheduleCommand, new ScheduleCommand(ScheduleCommandKind.Delete), cancellationToken);
            await client.EndWithinAsync(instanceId, DeleteGracePeriod, "deleted", cancellationToken);
        }

        await client.PurgeInstanceAsync(instanceId, cancellation: cancellationToken);
        return new ScheduleResult(ScheduleOutcome.Ok);
    }

    private async Task<ScheduleResult> SendAsync(string name, ScheduleCommand command, CancellationToken cancellationToken)
    {
        var status = await ReadAsync(name, cancellationToken);
        if (status is null || status.Deleted)
        {
            return ScheduleResult.NotFound;
        }

        await client.RaiseEventAsync(ScheduleNames.InstanceId(name), EventNames.ScheduleCommand, command, cancellationToken);
        return new ScheduleResult(ScheduleOutcome.Ok, status);
    }

    private async Task<ScheduleStatus?> ReadAsync(string name, CancellationToken cancellationToken) =>
        await ReadMetadataAsync(name, cancellationToken) is { } metadata ? FromMetadata(metadata) : null;

    /// <summary>The schedule's instance with its input (its current state) and custom status; null when there is none.</summary>
    private async Task<OrchestrationMetadata?> ReadMetadataAsync(string name, CancellationToken cancellationToken)
    {
        if (ScheduleNames.Validate(name) is not null)
        {
            return null;
        }

        var metadata = await client.GetInstanceAsync(ScheduleNames.InstanceId(name), getInputsAndOutputs: true, cancellationToken);
        return metadata is null || metadata.Name != OrchestrationNames.Schedule ? null : metadata;
    }

    private static bool IsActive(OrchestrationMetadata metadata) =>
        metadata.RuntimeStatus is OrchestrationRuntimeStatus.Pending or OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Suspended;

    /// <summary>The schedule's own status; before its first execution, or after it failed, what its input says.</summary>
    private ScheduleStatus? FromMetadata(OrchestrationMetadata metadata)
    {
        var status = metadata.ReadCustomStatusAs<ScheduleStatus>();
        if (metadata.RuntimeStatus == OrchestrationRuntimeStatus.Failed)
        {
            var error = $"the schedule failed: {metadata.FailureDetails?.ErrorMessage}";
            return status is not null
                ? status with { NextOccurrence = null, Error = error }
                : StatusOf(metadata.ReadInputAs<ScheduleState>()) is { } fromInput ? fromInput with { NextOccurrence = null, Error = error } : null;
        }

        if (metadata.RuntimeStatus == OrchestrationRuntimeStatus.Terminated)
        {
            status ??= StatusOf(metadata.ReadInputAs<ScheduleState>());
            return status is null ? null : status with { NextOccurrence = null, Deleted = true };
        }

        return status ?? StatusOf(metadata.ReadInputAs<ScheduleState>());
    }

    private ScheduleStatus? StatusOf(ScheduleState? state)
    {
        if (state is null)
        {
            return null;
        }

        var expression = ScheduleExpression.TryParse(state.Spec.Cron, state.Spec.TimeZone, out var error);
        return new ScheduleStatus(
            state.Spec.Name,
            state.Spec.Cron,
            string.IsNullOrWhiteSpace(state.Spec.TimeZone) ? "UTC" : state.Spec.TimeZone,
            state.Spec.Overlap,
            state.Paused,
            Deleted: false,
            state.Paused ? null : expression?.Next(state.Cursor ?? _time.GetUtcNow()),
            state.CreatedAt,
            state.RunList,
            state.SkippedList,
            error);
    }
}
