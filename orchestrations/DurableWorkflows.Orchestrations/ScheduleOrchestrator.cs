using DurableWorkflows.Core.Contracts;
using DurableWorkflows.Core.Scheduling;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace DurableWorkflows.Orchestrations;

/// <summary>
/// One recurring schedule, as an eternal orchestration (instance id <c>schedule:{name}</c>). Each execution waits for
/// the next occurrence (a durable timer) or a <see cref="ScheduleCommand"/>, whichever comes first, starts at most one
/// run (id <c>{name}-{occurrence}</c>, so a replay or a retry never starts a second one), then continues as new with
/// its state, so its history stays small. After downtime it starts one catch-up run for the latest missed occurrence,
/// not one per missed occurrence.
/// </summary>
public sealed partial class ScheduleOrchestrator : TaskOrchestrator<ScheduleState, ScheduleStatus?>
{
    /// <summary>How many runs and skipped occurrences the status keeps.</summary>
    public const int HistoryLimit = 20;

    /// <summary>The state of a run the schedule could not start.</summary>
    public const string NotStarted = "NOT_STARTED";

    public override async Task<ScheduleStatus?> RunAsync(TaskOrchestrationContext context, ScheduleState input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var logger = context.CreateReplaySafeLogger<ScheduleOrchestrator>();
        var now = new DateTimeOffset(context.CurrentUtcDateTime, TimeSpan.Zero);
        var state = input.Cursor is null ? input with { Cursor = now, CreatedAt = input.CreatedAt ?? now } : input;

        var expression = ScheduleExpression.TryParse(state.Spec.Cron, state.Spec.TimeZone, out var error);
        var next = state.Paused ? null : expression?.Next(state.Cursor!.Value);
        context.SetCustomStatus(ToStatus(state, next, deleted: false, error));

        // A waiter is open whenever this execution does work, so a command that arrives meanwhile completes it and is
        // applied (see FinishAsync) before continuing as new; one that arrives after ContinueAsNew is carried over to the
        // next execution by the runtime. No command is lost.
        var command = context.WaitForExternalEvent<ScheduleCommand>(EventNames.ScheduleCommand);
        if (next is null)
        {
            await command;
            return await FinishAsync(context, state, command);
        }

        using (var timerCts = new CancellationTokenSource())
        {
            var timer = context.CreateTimer(next.Value.UtcDateTime, timerCts.Token);
            var winner = await Task.WhenAny(command, timer);
            if (winner == command)
            {
                // Synchronously, on the orchestration thread: CancelAsync would resume this code off it.
                timerCts.Cancel();
                return await FinishAsync(context, state, command);
            }
        }

        // The timer fired: run the latest occurrence that is due (a catch-up when the timer fired late or the
        // schedule was down), and record the earlier ones it supersedes.
        var firedAt = new DateTimeOffset(context.CurrentUtcDateTime, TimeSpan.Zero);
        var due = expression!.LatestDue(state.Cursor!.Value, firedAt > next.Value ? firedAt : next.Value);
        var occurrence = due?.Latest ?? next.Value;
        if (due is { Missed: > 0 } missed)
        {
            var count = missed.Missed >= ScheduleExpression.MissedCountLimit ? $"{missed.Missed} or more" : missed.Missed.ToString(System.Globalization.CultureInfo.InvariantCulture);
            state = AddSkipped(state, new SkippedOccurrence(next.Value, $"missed: {count} occurrence(s) from this one on passed while the schedule was not running; one catch-up run for {occurrence:O}"));
            LogMissed(logger, state.Spec.Name, missed.Missed, occurrence);
            CountOccurrence(context, "missed", missed.Missed);
        }

        state = await RunOccurrenceAsync(context, state, occurrence, manual: false);
        state = state with { Cursor = occurrence };

        return await FinishAsync(context, state, command);
    }

    /// <summary>
    /// Applies the received commands one after another, each while the waiter for the next one is open (run now starts
    /// activities, and a command arriving meanwhile must find a waiter), then deletes the schedule or continues as new.
    /// </summary>
    private static async Task<ScheduleStatus?> FinishAsync(TaskOrchestrationContext context, ScheduleState state, Task<ScheduleCommand> command)
    {
        while (command.IsCompletedSuccessfully)
        {
            var received = command.Result;
            command = context.WaitForExternalEvent<ScheduleCommand>(EventNames.ScheduleCommand);
            var (afterCommand, deleted) = await ApplyAsync(context, state, received);
            if (deleted)
            {
                return Delete(context, afterCommand);
            }

            state = afterCommand;
        }

        return ContinueAsNew(context, state);
    }

    /// <summary>Applies a command; returns the new state, and whether the schedule is deleted.</summary>
    private static async Task<(ScheduleState State, bool Deleted)> ApplyAsync(
        TaskOrchestrationContext context, ScheduleState state, ScheduleCommand command)
    {
        var now = new DateTimeOffset(context.CurrentUtcDateTime, TimeSpan.Zero);
        var logger = context.CreateReplaySafeLogger<ScheduleOrchestrator>();
        LogCommand(logger, state.Spec.Name, command.Kind);
        switch (command.Kind)
        {
            case ScheduleCommandKind.Pause:
                return (state with { Paused = true }, false);

            case ScheduleCommandKind.Resume:
                // Occurrences that passed while paused are not caught up: the next one is the first after now.
                return (state.Paused ? state with { Paused = false, Cursor = now } : state, false);

            case ScheduleCommandKind.RunNow:
                var occurrence = new DateTimeOffset(now.UtcDateTime.Ticks - (now.UtcDateTime.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
                return (await RunOccurrenceAsync(context, state, occurrence, manual: true), false);

            case ScheduleCommandKind.Update when command.Change is not null:
                return (state.With(command.Change, now), false);

            case ScheduleCommandKind.Delete:
                return (state, true);

            default:
                return (state, false);
        }
    }

    /// <summary>Starts the run of one occurrence unless the overlap policy skips it.</summary>
    private static async Task<ScheduleState> RunOccurrenceAsync(
        TaskOrchestrationContext context, ScheduleState state, DateTimeOffset occurrence, bool manual)
    {
        var logger = context.CreateReplaySafeLogger<ScheduleOrchestrator>();
        var spec = state.Spec;
        var runId = ScheduleNames.RunId(spec.Name, occurrence);
        if (state.RunList.Any(r => r.Id == runId))
        {
            // Run now and an occurrence in the same second share the run id: the run already started stands for both.
            CountOccurrence(context, "skipped");
            return AddSkipped(state, new SkippedOccurrence(occurrence, $"{(manual ? "run now: " : "")}run {runId} already started for this second"));
        }

        // Refresh the previous run's state; under "skip" an active previous run skips this occurrence.
        var previous = state.RunList.Count > 0 ? state.RunList[^1] : null;
        if (previous is not null && previous.Error is null)
        {
            var seen = await new ScheduleActivities(context).GetRunStateAsync(previous.Id);
            state = ReplaceRun(state, previous with { State = seen.State });
            if (seen.Active && spec.Overlap == ScheduleOverlap.Skip)
            {
                LogSkipped(logger, spec.Name, occurrence, previous.Id);
                CountOccurrence(context, "skipped");
                return AddSkipped(state, new SkippedOccurrence(occurrence, $"previous run {previous.Id} is still {seen.State}"));
            }
        }

        ScheduledRun run;
        try
        {
            var started = await new ScheduleActivities(context).StartScheduledRunAsync(
                new StartScheduledRunInput(spec.Name, runId, occurrence, spec.Template, spec.Vars, spec.Hardware));
            run = started.Started
                ? new ScheduledRun(runId, occurrence, nameof(WorkflowState.PENDING), manual)
                : new ScheduledRun(runId, occurrence, NotStarted, manual, started.Error ?? "not started");
        }
        catch (TaskFailedException e)
        {
            run = new ScheduledRun(runId, occurrence, NotStarted, manual, e.FailureDetails.ErrorMessage);
        }

        LogStarted(logger, spec.Name, runId, run.State);
        CountOccurrence(context, run.Error is null ? "started" : "failed");
        return state with { Runs = Bounded(state.RunList, run) };
    }

    /// <summary>An occurrence's outcome, counted once: not when the orchestration replays it.</summary>
    private static void CountOccurrence(TaskOrchestrationContext context, string outcome, long count = 1)
    {
        if (!context.IsReplaying)
        {
            Core.Telemetry.DwfTelemetry.ScheduleOccurrences.Add(count, Core.Telemetry.DwfTelemetry.Tag("outcome", outcome));
        }
    }

    private static ScheduleStatus? ContinueAsNew(TaskOrchestrationContext context, ScheduleState state)
    {
        context.ContinueAsNew(state, preserveUnprocessedEvents: true);
        return null;
    }

    private static ScheduleStatus Delete(TaskOrchestrationContext context, ScheduleState state)
    {
        var status = ToStatus(state, next: null, deleted: true, error: null);
        context.SetCustomStatus(status);
        return status;
    }

    private static ScheduleStatus ToStatus(ScheduleState state, DateTimeOffset? next, bool deleted, string? error) => new(
        state.Spec.Name,
        state.Spec.Cron,
        string.IsNullOrWhiteSpace(state.Spec.TimeZone) ? "UTC" : state.Spec.TimeZone,
        state.Spec.Overlap,
        state.Paused,
        deleted,
        next,
        state.CreatedAt,
        state.RunList,
        state.SkippedList,
        error);

    private static ScheduleState ReplaceRun(ScheduleState state, ScheduledRun run) =>
        state with { Runs = state.RunList.Select(r => r.Id == run.Id ? run : r).ToList() };

    private static ScheduleState AddSkipped(ScheduleState state, SkippedOccurrence skipped) =>
        state with { Skipped = Bounded(state.SkippedList, skipped) };

    private static List<T> Bounded<T>(IReadOnlyList<T> list, T item) =>
        list.Append(item).TakeLast(HistoryLimit).ToList();

    [LoggerMessage(Level = LogLevel.Information, Message = "Schedule {Schedule}: run {RunId} for its occurrence: {State}")]
    private static partial void LogStarted(ILogger logger, string schedule, string runId, string state);

    [LoggerMessage(Level = LogLevel.Information, Message = "Schedule {Schedule}: occurrence {Occurrence:O} skipped, previous run {RunId} still active")]
    private static partial void LogSkipped(ILogger logger, string schedule, DateTimeOffset occurrence, string runId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Schedule {Schedule}: {Missed} occurrence(s) missed; one catch-up run for {Occurrence:O}")]
    private static partial void LogMissed(ILogger logger, string schedule, int missed, DateTimeOffset occurrence);

    [LoggerMessage(Level = LogLevel.Information, Message = "Schedule {Schedule}: {Command}")]
    private static partial void LogCommand(ILogger logger, string schedule, ScheduleCommandKind command);
}
