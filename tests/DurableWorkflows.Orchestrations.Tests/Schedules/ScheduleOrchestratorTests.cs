using System.Globalization;
using DurableWorkflows.Core.Contracts;
using DurableWorkflows.Core.Scheduling;
using Microsoft.DurableTask.Client;

namespace DurableWorkflows.Orchestrations.Tests.Schedules;

public sealed class ScheduleOrchestratorTests
{
    private const string EveryTwoSeconds = "*/2 * * * * *";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(40);

    private static DateTimeOffset OccurrenceOf(string name, string runId) =>
        DateTimeOffset.ParseExact(runId[(name.Length + 1)..], ScheduleNames.OccurrenceFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    [Fact(Timeout = 60_000)]
    public async Task RunAsync_EveryTwoSeconds_StartsOneRunPerOccurrenceWithDeterministicIds()
    {
        using var cts = new CancellationTokenSource(Bound);
        await using var host = await ScheduleTestHost.StartAsync(cts.Token);
        const string name = "nightly";
        await host.StartScheduleAsync(new ScheduleState(ScheduleTestHost.Spec(name, EveryTwoSeconds)), cts.Token);

        var runIds = await host.WaitForRunsAsync(3, cts.Token);

        var occurrences = runIds.Take(3).Select(id => OccurrenceOf(name, id)).ToList();
        Assert.All(runIds, id => Assert.Matches(@"^nightly-\d{8}T\d{6}Z$", id));
        Assert.All(occurrences, o => Assert.Equal(0, o.Second % 2));
        Assert.Equal(occurrences.Order().ToList(), occurrences);
        Assert.Equal(3, occurrences.Distinct().Count());
        Assert.All(runIds, id => Assert.Equal(1, host.Recorder.Calls(id)));
        foreach (var id in runIds.Take(3))
        {
            Assert.NotNull(await host.Client.GetInstanceAsync(id, cts.Token));
        }

        var status = await host.WaitForStatusAsync(name, s => s.Runs.Count >= 3, cts.Token);
        Assert.Equal(runIds.Take(3), status.Runs.Take(3).Select(r => r.Id));
        Assert.Equal(EveryTwoSeconds, status.Cron);
        Assert.Equal("UTC", status.TimeZone);
        Assert.NotNull(status.NextOccurrence);
    }

    [Fact(Timeout = 60_000)]
    public async Task RunAsync_PreviousRunActiveWithSkip_SkipsAndRecordsUntilItEnds()
    {
        using var cts = new CancellationTokenSource(Bound);
        await using var host = await ScheduleTestHost.StartAsync(cts.Token);
        const string name = "slow";
        var vars = new Dictionary<string, string> { ["hold"] = "true" };
        await host.StartScheduleAsync(new ScheduleState(ScheduleTestHost.Spec(name, EveryTwoSeconds, vars: vars)), cts.Token);

        var first = (await host.WaitForRunsAsync(1, cts.Token))[0];
        var skipped = await host.WaitForStatusAsync(name, s => s.Skipped.Count >= 2, cts.Token);

        Assert.Single(host.Recorder.RunIds);
        Assert.All(skipped.Skipped, s => Assert.Contains(first, s.Reason, StringComparison.Ordinal));
        Assert.All(skipped.Skipped, s => Assert.True(s.Occurrence > OccurrenceOf(name, first)));
        Assert.Equal(nameof(WorkflowState.RUNNING), skipped.Runs.Single().State);

        await host.Client.RaiseEventAsync(first, TestRunOrchestrator.FinishEvent, true, cts.Token);
        var runIds = await host.WaitForRunsAsync(2, cts.Token);

        Assert.True(OccurrenceOf(name, runIds[1]) > skipped.Skipped[^1].Occurrence);
        var status = await host.WaitForStatusAsync(name, s => s.Runs.Count == 2, cts.Token);
        Assert.Equal(nameof(WorkflowState.SUCCESS), status.Runs[0].State);
    }

    [Fact(Timeout = 60_000)]
    public async Task RunAsync_PreviousRunActiveWithAllow_StartsAnyway()
    {
        using var cts = new CancellationTokenSource(Bound);
        await using var host = await ScheduleTestHost.StartAsync(cts.Token);
        const string name = "parallel";
        var vars = new Dictionary<string, string> { ["hold"] = "true" };
        await host.StartScheduleAsync(new ScheduleState(ScheduleTestHost.Spec(name, EveryTwoSeconds, ScheduleOverlap.Allow, vars)), cts.Token);

        var runIds = await host.WaitForRunsAsync(2, cts.Token);

        foreach (var id in runIds.Take(2))
        {
            var run = await host.Client.GetInstanceAsync(id, cts.Token);
            Assert.Equal(OrchestrationRuntimeStatus.Running, run!.RuntimeStatus);
        }

        var status = await host.WaitForStatusAsync(name, s => s.Runs.Count >= 2, cts.Token);
        Assert.Empty(status.Skipped);
    }

    [Fact(Timeout = 60_000)]
    public async Task RunAsync_PausedThenResumed_StartsNoRunWhilePaused()
    {
        using var cts = new CancellationTokenSource(Bound);
        await using var host = await ScheduleTestHost.StartAsync(cts.Token);
        const string name = "pausable";
        await host.StartScheduleAsync(new ScheduleState(ScheduleTestHost.Spec(name, EveryTwoSeconds)), cts.Token);
        await host.WaitForRunsAsync(1, cts.Token);

        await host.SendAsync(name, ScheduleCommandKind.Pause, cts.Token);
        var paused = await host.WaitForStatusAsync(name, s => s.Paused, cts.Token);
        var pausedRuns = host.Recorder.RunIds.Count;
        var pausedAt = DateTimeOffset.UtcNow;

        // Let at least two occurrences pass while paused.
        await Task.Delay(TimeSpan.FromSeconds(4.5), cts.Token);
        Assert.Equal(pausedRuns, host.Recorder.RunIds.Count);
        Assert.Null(paused.NextOccurrence);

        await host.SendAsync(name, ScheduleCommandKind.Resume, cts.Token);
        var resumed = await host.WaitForStatusAsync(name, s => !s.Paused, cts.Token);
        var resumedRuns = await host.WaitForRunsAsync(pausedRuns + 1, cts.Token);

        Assert.NotNull(resumed.NextOccurrence);
        Assert.True(OccurrenceOf(name, resumedRuns[pausedRuns]) > pausedAt.AddSeconds(4));
        Assert.DoesNotContain(resumed.Skipped, s => s.Reason.StartsWith("missed", StringComparison.Ordinal));
    }

    [Fact(Timeout = 60_000)]
    public async Task RunAsync_Deleted_CompletesAndStartsNoMoreRuns()
    {
        using var cts = new CancellationTokenSource(Bound);
        await using var host = await ScheduleTestHost.StartAsync(cts.Token);
        const string name = "doomed";
        await host.StartScheduleAsync(new ScheduleState(ScheduleTestHost.Spec(name, EveryTwoSeconds)), cts.Token);
        await host.WaitForRunsAsync(1, cts.Token);

        await host.SendAsync(name, ScheduleCommandKind.Delete, cts.Token);
        var metadata = await host.Client.WaitForInstanceCompletionAsync(ScheduleNames.InstanceId(name), getInputsAndOutputs: true, cts.Token);
        var runsAtDelete = host.Recorder.RunIds.Count;

        Assert.Equal(OrchestrationRuntimeStatus.Completed, metadata.RuntimeStatus);
        Assert.True(metadata.ReadOutputAs<ScheduleStatus>()!.Deleted);
        await Task.Delay(TimeSpan.FromSeconds(4.5), cts.Token);
        Assert.Equal(runsAtDelete, host.Recorder.RunIds.Count);
    }

    [Fact(Timeout = 60_000)]
    public async Task RunAsync_RunNow_StartsAManualRunAtOnce()
    {
        using var cts = new CancellationTokenSource(Bound);
        await using var host = await ScheduleTestHost.StartAsync(cts.Token);
        const string name = "yearly";
        await host.StartScheduleAsync(new ScheduleState(ScheduleTestHost.Spec(name, "0 0 1 1 *")), cts.Token);
        await host.WaitForStatusAsync(name, s => s.NextOccurrence is not null, cts.Token);

        await host.SendAsync(name, ScheduleCommandKind.RunNow, cts.Token);
        var runIds = await host.WaitForRunsAsync(1, cts.Token);
        var status = await host.WaitForStatusAsync(name, s => s.Runs.Count == 1, cts.Token);

        Assert.Equal(runIds[0], status.Runs[0].Id);
        Assert.True(status.Runs[0].Manual);
        Assert.True(status.NextOccurrence > DateTimeOffset.UtcNow.AddDays(1) || DateTimeOffset.UtcNow.Month == 12);
    }

    [Fact(Timeout = 60_000)]
    public async Task RunAsync_Updated_KeepsItsRunsAndStartsTheNextWithTheNewDefinition()
    {
        using var cts = new CancellationTokenSource(Bound);
        await using var host = await ScheduleTestHost.StartAsync(cts.Token);
        const string name = "changing";
        await host.StartScheduleAsync(new ScheduleState(ScheduleTestHost.Spec(name, "0 0 1 1 *")), cts.Token);
        await host.SendAsync(name, ScheduleCommandKind.RunNow, cts.Token);
        var manual = (await host.WaitForRunsAsync(1, cts.Token))[0];

        var vars = new Dictionary<string, string> { ["image"] = "v2" };
        await host.SendAsync(name, new ScheduleCommand(ScheduleCommandKind.Update, new ScheduleChange(Cron: EveryTwoSeconds, Vars: vars)), cts.Token);
        var status = await host.WaitForStatusAsync(name, s => s.Runs.Any(r => !r.Manual), cts.Token);

        Assert.Equal((EveryTwoSeconds, ScheduleOverlap.Skip), (status.Cron, status.Overlap));
        Assert.Equal(manual, status.Runs[0].Id);
        Assert.True(status.Runs[0].Manual);
        Assert.Empty(host.Recorder.Input(manual).Vars);
        var scheduled = status.Runs.First(r => !r.Manual);
        Assert.Equal(0, scheduled.Occurrence.Second % 2);
        Assert.Equal(vars, host.Recorder.Input(scheduled.Id).Vars);
    }

    [Fact(Timeout = 60_000)]
    public async Task RunAsync_CommandSentWhileRunNowStartsItsRun_IsApplied()
    {
        using var cts = new CancellationTokenSource(Bound);
        await using var host = await ScheduleTestHost.StartAsync(cts.Token);
        const string name = "busy";
        await host.StartScheduleAsync(new ScheduleState(ScheduleTestHost.Spec(name, "0 0 1 1 *")), cts.Token);
        await host.WaitForStatusAsync(name, s => s.NextOccurrence is not null, cts.Token);

        // The pause arrives while the schedule is busy starting the run of "run now" (no waiter of the first command).
        await host.SendAsync(name, ScheduleCommandKind.RunNow, cts.Token);
        await host.SendAsync(name, ScheduleCommandKind.Pause, cts.Token);
        var status = await host.WaitForStatusAsync(name, s => s.Paused, cts.Token);

        Assert.Single(status.Runs);
        Assert.Null(status.NextOccurrence);
    }

    [Fact(Timeout = 60_000)]
    public async Task RunAsync_RunNowInTheSecondOfARun_RecordsItAsSkipped()
    {
        using var cts = new CancellationTokenSource(Bound);
        await using var host = await ScheduleTestHost.StartAsync(cts.Token);
        const string name = "same-second";
        await host.StartScheduleAsync(new ScheduleState(ScheduleTestHost.Spec(name, "0 0 1 1 *")), cts.Token);

        // Run now twice until both land in one second (the first try almost always does; the bound ends it).
        var status = await host.WaitForStatusAsync(name, s => s.NextOccurrence is not null, cts.Token);
        while (status.Skipped.Count == 0)
        {
            int handled = status.Runs.Count + status.Skipped.Count;
            await host.SendAsync(name, ScheduleCommandKind.RunNow, cts.Token);
            await host.SendAsync(name, ScheduleCommandKind.RunNow, cts.Token);
            status = await host.WaitForStatusAsync(name, s => s.Runs.Count + s.Skipped.Count == handled + 2, cts.Token);
        }

        var skipped = status.Skipped[0];
        Assert.Contains(status.Runs, r => r.Occurrence == skipped.Occurrence);
        Assert.Equal($"run now: run {ScheduleNames.RunId(name, skipped.Occurrence)} already started for this second", skipped.Reason);
        Assert.All(host.Recorder.RunIds, id => Assert.Equal(1, host.Recorder.Calls(id)));
    }

    [Fact(Timeout = 60_000)]
    public async Task RunAsync_TwoUpdatesInARow_AppliesBoth()
    {
        using var cts = new CancellationTokenSource(Bound);
        await using var host = await ScheduleTestHost.StartAsync(cts.Token);
        const string name = "twice";
        await host.StartScheduleAsync(new ScheduleState(ScheduleTestHost.Spec(name, "0 3 * * *")), cts.Token);

        await host.SendAsync(name, new ScheduleCommand(ScheduleCommandKind.Update, new ScheduleChange(Cron: "0 4 * * *")), cts.Token);
        await host.SendAsync(name, new ScheduleCommand(ScheduleCommandKind.Update, new ScheduleChange(Overlap: ScheduleOverlap.Allow, TimeZone: "Europe/Berlin")), cts.Token);
        var status = await host.WaitForStatusAsync(name, s => s.Overlap == ScheduleOverlap.Allow, cts.Token);

        Assert.Equal("0 4 * * *", status.Cron);
        Assert.Equal("Europe/Berlin", status.TimeZone);
        Assert.Null(status.Error);
        Assert.Empty(host.Recorder.RunIds);
    }

    [Fact(Timeout = 60_000)]
    public async Task RunAsync_OccurrencesMissedDuringDowntime_StartsOneCatchUpRun()
    {
        using var cts = new CancellationTokenSource(Bound);
        await using var host = await ScheduleTestHost.StartAsync(cts.Token);
        const string name = "hourly";
        var before = DateTimeOffset.UtcNow;

        // The schedule was last at work five hours ago: five hourly occurrences passed since.
        var cursor = before.AddHours(-5);
        await host.StartScheduleAsync(new ScheduleState(ScheduleTestHost.Spec(name, "0 * * * *"), Cursor: cursor, CreatedAt: cursor), cts.Token);
        var status = await host.WaitForStatusAsync(name, s => s.Runs.Count == 1, cts.Token);
        var after = DateTimeOffset.UtcNow;

        var run = status.Runs.Single();
        static DateTimeOffset Hour(DateTimeOffset t) => new(t.Year, t.Month, t.Day, t.Hour, 0, 0, TimeSpan.Zero);
        Assert.Contains(run.Occurrence, new[] { Hour(before), Hour(after) });
        Assert.Equal(ScheduleNames.RunId(name, run.Occurrence), run.Id);
        var missed = Assert.Single(status.Skipped);
        Assert.StartsWith("missed: 4 occurrence(s)", missed.Reason, StringComparison.Ordinal);
        Assert.True(status.NextOccurrence > after);
        Assert.Equal([run.Id], host.Recorder.RunIds);
    }

    [Fact(Timeout = 60_000)]
    public async Task RunAsync_TemplateInvalid_RecordsNotStartedAndKeepsRunning()
    {
        using var cts = new CancellationTokenSource(Bound);
        await using var host = await ScheduleTestHost.StartAsync(cts.Token);
        const string name = "broken";
        var vars = new Dictionary<string, string> { ["invalid"] = "3:5: unknown key 'actoins'" };
        await host.StartScheduleAsync(new ScheduleState(ScheduleTestHost.Spec(name, EveryTwoSeconds, vars: vars)), cts.Token);

        var status = await host.WaitForStatusAsync(name, s => s.Runs.Count >= 2, cts.Token);

        Assert.All(status.Runs, r => Assert.Equal(ScheduleOrchestrator.NotStarted, r.State));
        Assert.All(status.Runs, r => Assert.Equal("3:5: unknown key 'actoins'", r.Error));
        Assert.Empty(status.Skipped);
    }
}
