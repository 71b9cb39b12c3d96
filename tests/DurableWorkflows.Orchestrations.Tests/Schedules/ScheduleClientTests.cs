using DurableWorkflows.Containers;
using DurableWorkflows.Core.Contracts;
using DurableWorkflows.Core.Scheduling;
using DurableWorkflows.Server.Hardware;
using DurableWorkflows.Server.Schedules;
using DurableWorkflows.Server.Workflows;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace DurableWorkflows.Orchestrations.Tests.Schedules;

public sealed class ScheduleClientTests
{
    private const string Template = """
        version: "0.1"
        name: burn-in
        global_timeout: 600
        tasks:
          - name: "burn"
            worker: "{{.device}}"
            actions:
              - name: "stress"
                image: dwf-busybox:latest
                timeout: 60
                command: ["sh", "-c", "echo {{ .workflowid }}"]
        """;

    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(40);

    /// <summary>The start path the server gives its schedule client (a schedule's record is inline: no inventory is read).</summary>
    private static WorkflowStarter Starter(DurableTaskClient client) =>
        new(client, new DurableHardwareInventory(client), Options.Create(new DockerOptions()));

    private static ScheduleSpec Spec(string name, string cron = "*/2 * * * * *", string? zone = null, string template = Template) =>
        new(name, cron, zone, ScheduleOverlap.Skip, template, new Dictionary<string, string> { ["device"] = "rack7" });

    [Fact(Timeout = 60_000)]
    public async Task CreateAsync_Valid_StartsTheScheduleAndItsRuns()
    {
        using var cts = new CancellationTokenSource(Bound);
        await using var host = await ScheduleTestHost.StartAsync(cts.Token);
        var schedules = new ScheduleClient(host.Client, Starter(host.Client));

        var created = await schedules.CreateAsync(Spec("burn-in", zone: "Europe/Berlin"), cts.Token);

        Assert.Equal(ScheduleOutcome.Ok, created.Outcome);
        Assert.Equal("Europe/Berlin", created.Schedule!.TimeZone);
        var runIds = await host.WaitForRunsAsync(1, cts.Token);
        Assert.StartsWith("burn-in-", runIds[0], StringComparison.Ordinal);
        var shown = await schedules.GetAsync("burn-in", cts.Token);
        Assert.NotNull(shown);
        Assert.NotNull(shown.NextOccurrence);
    }

    [Fact(Timeout = 60_000)]
    public async Task CreateAsync_SameNameTwice_Conflicts()
    {
        using var cts = new CancellationTokenSource(Bound);
        await using var host = await ScheduleTestHost.StartAsync(cts.Token);
        var schedules = new ScheduleClient(host.Client, Starter(host.Client));
        await schedules.CreateAsync(Spec("twice", "0 3 * * *"), cts.Token);

        var again = await schedules.CreateAsync(Spec("twice", "0 4 * * *"), cts.Token);

        Assert.Equal(ScheduleOutcome.Conflict, again.Outcome);
        Assert.Equal("0 3 * * *", (await schedules.GetAsync("twice", cts.Token))!.Cron);
    }

    [Fact(Timeout = 60_000)]
    public async Task CreateAsync_Invalid_ReportsEveryProblemAndStartsNothing()
    {
        using var cts = new CancellationTokenSource(Bound);
        await using var host = await ScheduleTestHost.StartAsync(cts.Token);
        var schedules = new ScheduleClient(host.Client, Starter(host.Client));
        const string badTemplate = """
            version: "0.1"
            name: bad
            global_timeout: 600
            tasks:
              - name: "t"
                worker: "w"
                actoins: []
            """;

        var result = await schedules.CreateAsync(Spec("bad/name", "61 * * * *", "Mars/Olympus", badTemplate), cts.Token);

        Assert.Equal(ScheduleOutcome.Invalid, result.Outcome);
        Assert.Contains(result.Errors!, e => e.Contains("schedule name 'bad/name'", StringComparison.Ordinal));
        Assert.Contains(result.Errors!, e => e.Contains("cron expression '61 * * * *' is invalid", StringComparison.Ordinal));
        Assert.Contains(result.Errors!, e => e.StartsWith("template:7:", StringComparison.Ordinal));
        Assert.Empty(await schedules.ListAsync(cts.Token));
    }

    [Fact(Timeout = 60_000)]
    public async Task ListAsync_TwoSchedules_ListsBothByName()
    {
        using var cts = new CancellationTokenSource(Bound);
        await using var host = await ScheduleTestHost.StartAsync(cts.Token);
        var schedules = new ScheduleClient(host.Client, Starter(host.Client));
        await schedules.CreateAsync(Spec("weekly", "0 3 * * 0"), cts.Token);
        await schedules.CreateAsync(Spec("daily", "0 3 * * *"), cts.Token);

        var listed = await schedules.ListAsync(cts.Token);

        Assert.Equal(["daily", "weekly"], listed.Select(s => s.Name));
    }

    [Fact(Timeout = 60_000)]
    public async Task PauseAsync_ThenResume_ShowsPausedThenActive()
    {
        using var cts = new CancellationTokenSource(Bound);
        await using var host = await ScheduleTestHost.StartAsync(cts.Token);
        var schedules = new ScheduleClient(host.Client, Starter(host.Client));
        await schedules.CreateAsync(Spec("pausable", "0 3 * * *"), cts.Token);
        await host.WaitForStatusAsync("pausable", s => s.NextOccurrence is not null, cts.Token);

        Assert.Equal(ScheduleOutcome.Ok, (await schedules.PauseAsync("pausable", cts.Token)).Outcome);
        await host.WaitForStatusAsync("pausable", s => s.Paused && s.NextOccurrence is null, cts.Token);
        Assert.Equal(ScheduleOutcome.Ok, (await schedules.ResumeAsync("pausable", cts.Token)).Outcome);
        var resumed = await host.WaitForStatusAsync("pausable", s => !s.Paused, cts.Token);

        Assert.NotNull(resumed.NextOccurrence);
        Assert.Equal(ScheduleOutcome.NotFound, (await schedules.PauseAsync("missing", cts.Token)).Outcome);
    }

    [Fact(Timeout = 60_000)]
    public async Task UpdateAsync_ValidChange_IsAppliedAndReturnsTheNewDefinition()
    {
        using var cts = new CancellationTokenSource(Bound);
        await using var host = await ScheduleTestHost.StartAsync(cts.Token);
        var schedules = new ScheduleClient(host.Client, Starter(host.Client));
        await schedules.CreateAsync(Spec("weekly", "0 3 * * 1"), cts.Token);
        await host.WaitForStatusAsync("weekly", s => s.NextOccurrence is not null, cts.Token);

        var updated = await schedules.UpdateAsync("weekly", new ScheduleChange(Cron: "0 5 * * 2", TimeZone: "Europe/Berlin"), cts.Token);

        Assert.Equal(ScheduleOutcome.Ok, updated.Outcome);
        Assert.Equal(("0 5 * * 2", "Europe/Berlin"), (updated.Schedule!.Cron, updated.Schedule.TimeZone));
        Assert.Equal(DayOfWeek.Tuesday, TimeZoneInfo.ConvertTime(updated.Schedule.NextOccurrence!.Value, TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin")).DayOfWeek);
        var shown = await host.WaitForStatusAsync("weekly", s => s.Cron == "0 5 * * 2", cts.Token);
        Assert.Equal(updated.Schedule.NextOccurrence, shown.NextOccurrence);
    }

    [Fact(Timeout = 60_000)]
    public async Task UpdateAsync_InvalidOrUnknown_RefusesAndChangesNothing()
    {
        using var cts = new CancellationTokenSource(Bound);
        await using var host = await ScheduleTestHost.StartAsync(cts.Token);
        var schedules = new ScheduleClient(host.Client, Starter(host.Client));
        await schedules.CreateAsync(Spec("steady", "0 3 * * *"), cts.Token);
        await host.WaitForStatusAsync("steady", s => s.NextOccurrence is not null, cts.Token);

        var badCron = await schedules.UpdateAsync("steady", new ScheduleChange(Cron: "61 * * * *"), cts.Token);
        var missingVar = await schedules.UpdateAsync("steady", new ScheduleChange(Vars: new Dictionary<string, string>()), cts.Token);
        var badZone = await schedules.UpdateAsync("steady", new ScheduleChange(TimeZone: "Mars/Olympus"), cts.Token);
        var unknown = await schedules.UpdateAsync("missing", new ScheduleChange(Cron: "0 4 * * *"), cts.Token);

        Assert.Equal(ScheduleOutcome.Invalid, badCron.Outcome);
        Assert.Contains("61 * * * *", Assert.Single(badCron.Errors!), StringComparison.Ordinal);
        Assert.Equal(ScheduleOutcome.Invalid, badZone.Outcome);
        Assert.Contains("Mars/Olympus", Assert.Single(badZone.Errors!), StringComparison.Ordinal);
        Assert.Equal(ScheduleOutcome.Invalid, missingVar.Outcome);
        Assert.StartsWith("template:", Assert.Single(missingVar.Errors!), StringComparison.Ordinal);
        Assert.Contains("device", missingVar.Errors![0], StringComparison.Ordinal);
        Assert.Equal(ScheduleOutcome.NotFound, unknown.Outcome);
        var shown = await schedules.GetAsync("steady", cts.Token);
        Assert.Equal(("0 3 * * *", "UTC"), (shown!.Cron, shown.TimeZone));
    }

    [Fact(Timeout = 60_000)]
    public async Task RunNowAsync_StartsARunAtOnce()
    {
        using var cts = new CancellationTokenSource(Bound);
        await using var host = await ScheduleTestHost.StartAsync(cts.Token);
        var schedules = new ScheduleClient(host.Client, Starter(host.Client));
        await schedules.CreateAsync(Spec("manual", "0 3 1 1 *"), cts.Token);

        await schedules.RunNowAsync("manual", cts.Token);
        var runIds = await host.WaitForRunsAsync(1, cts.Token);

        var shown = await host.WaitForStatusAsync("manual", s => s.Runs.Count == 1, cts.Token);
        Assert.Equal(runIds[0], shown.Runs[0].Id);
        Assert.True(shown.Runs[0].Manual);
    }

    [Fact(Timeout = 60_000)]
    public async Task DeleteAsync_Running_StopsPurgesAndFreesTheName()
    {
        using var cts = new CancellationTokenSource(Bound);
        await using var host = await ScheduleTestHost.StartAsync(cts.Token);
        var schedules = new ScheduleClient(host.Client, Starter(host.Client));
        await schedules.CreateAsync(Spec("doomed"), cts.Token);
        await host.WaitForRunsAsync(1, cts.Token);

        var deleted = await schedules.DeleteAsync("doomed", cts.Token);

        Assert.Equal(ScheduleOutcome.Ok, deleted.Outcome);
        Assert.Null(await host.Client.GetInstanceAsync(ScheduleNames.InstanceId("doomed"), cts.Token));
        Assert.Null(await schedules.GetAsync("doomed", cts.Token));
        Assert.Equal(ScheduleOutcome.NotFound, (await schedules.DeleteAsync("doomed", cts.Token)).Outcome);
        var runsAtDelete = host.Recorder.RunIds.Count;
        Assert.Equal(ScheduleOutcome.Ok, (await schedules.CreateAsync(Spec("doomed", "0 3 * * *"), cts.Token)).Outcome);
        await Task.Delay(TimeSpan.FromSeconds(2.5), cts.Token);
        Assert.Equal(runsAtDelete, host.Recorder.RunIds.Count);
    }
}
