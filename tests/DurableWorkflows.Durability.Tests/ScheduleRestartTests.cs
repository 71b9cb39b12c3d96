using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DurableWorkflows.Core.Contracts;
using DurableWorkflows.Core.Scheduling;
using DurableWorkflows.Durability.Tests.Infrastructure;
using Xunit.Abstractions;

namespace DurableWorkflows.Durability.Tests;

/// <summary>
/// A schedule on the durable backend survives its server: killed with SIGKILL just after an occurrence fired and kept
/// down over several occurrences, the server started again on the same task hub goes on with the schedule, no
/// occurrence gets a second run or a second container, and the downtime gets at most one catch-up run.
/// </summary>
public sealed class ScheduleRestartTests(ITestOutputHelper output)
{
    /// <summary>Each start of the action's container appends a line to the run's folder.</summary>
    private const string CountingWorkflow = """
        version: "0.1"
        name: scheduled-restart
        global_timeout: 120
        tasks:
          - name: provision
            worker: local
            actions:
              - name: count
                image: dwf-busybox:latest
                timeout: 60
                command: ["sh", "-c", "echo started >> /workflow/starts.txt"]
        """;

    private const string EveryThreeSeconds = "*/3 * * * * *";

    /// <summary>Three occurrences or more pass while the server is down.</summary>
    private static readonly TimeSpan Downtime = TimeSpan.FromSeconds(10);

    /// <summary>The work the killed server had taken is redelivered after this (not the default 60 s), so the test stays short.</summary>
    private static readonly Dictionary<string, string> ShortRedelivery = new()
    {
        ["DurableWorkflows:WorkItemVisibilityTimeoutSeconds"] = "15",
        ["DurableWorkflows:Docker:MaxWaitSeconds"] = "5",
    };

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact(Timeout = 240_000)]
    public async Task Schedule_ServerKilledAtAnOccurrenceAndDown_GoesOnWithoutDoubleStartsAndCatchesUpOnce()
    {
        await using var run = new DurabilityRun();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(220));
        using var watch = CancellationTokenSource.CreateLinkedTokenSource(cts.Token);
        ContainerEventLog docker = run.WatchContainerEvents(watch.Token, "create", "start");
        ServeNode node = run.AddNode("node-a", settings: ShortRedelivery);
        await node.StartAsync(cts.Token);
        string name = "restart-" + run.TaskHub[3..11];
        var cron = ScheduleExpression.Parse(EveryThreeSeconds, null);

        using (HttpResponseMessage created = await node.Http.PostAsJsonAsync(
            "/api/schedules", new { name, cron = EveryThreeSeconds, overlap = "skip", template = CountingWorkflow }, cts.Token))
        {
            Assert.True(created.StatusCode == HttpStatusCode.Created, $"create returned {(int)created.StatusCode}: {await created.Content.ReadAsStringAsync(cts.Token)}");
        }

        await WaitForScheduleAsync(run, node, name, s => s.Runs.Count >= 2, cts.Token);

        // Kill the moment the next occurrence's run exists: the schedule has started it but has not yet recorded that,
        // so a restart replays that step, the moment it could start the run a second time. (Should the occurrence be
        // skipped, the kill comes one period after it instead.)
        DateTimeOffset target = cron.Next(DateTimeOffset.UtcNow)!.Value;
        bool killedAsItStarted = await WaitForWorkflowAsync(node, ScheduleNames.RunId(name, target), target.AddSeconds(3), cts.Token);
        node.Kill();
        DateTimeOffset killedAt = DateTimeOffset.UtcNow;
        await Task.Delay(Downtime, cts.Token);
        await node.StartAsync(cts.Token);
        DateTimeOffset restartedAt = DateTimeOffset.UtcNow;

        ScheduleStatus status = await WaitForScheduleAsync(run, node, name, s => s.Runs.Count(r => r.Occurrence > restartedAt) >= 2, cts.Token);
        output.WriteLine($"killed {killedAt:HH:mm:ss.fff} ({(killedAsItStarted ? "as the run of" : "after")} occurrence {target:HH:mm:ss}), restarted {restartedAt:HH:mm:ss.fff}");
        output.WriteLine($"runs: {string.Join(", ", status.Runs.Select(r => $"{r.Occurrence:HH:mm:ss} {r.State}"))}");
        output.WriteLine($"skipped: {string.Join("; ", status.Skipped.Select(s => $"{s.Occurrence:HH:mm:ss} {s.Reason}"))}");

        // Still listed and active.
        var listed = (await node.Http.GetFromJsonAsync<ScheduleListBody>("/api/schedules", Json, cts.Token))!.Schedules.Single(s => s.Name == name);
        Assert.Equal((false, false, null), (listed.Paused, listed.Deleted, listed.Error));
        Assert.NotNull(listed.NextOccurrence);

        // At most one catch-up run for the occurrences that passed while the server was down, the others recorded. A
        // run can be started a little before its occurrence (the schedule's timer fires early by up to a few hundred ms):
        // the one the kill interrupted may have an occurrence just after the kill, so the window opens 1 s after it.
        var passedWhileDown = status.Runs.Where(r => r.Occurrence > killedAt.AddSeconds(1) && r.Occurrence <= restartedAt).ToList();
        Assert.True(passedWhileDown.Count <= 1, $"{passedWhileDown.Count} runs for occurrences that passed while the server was down");
        Assert.Contains(status.Skipped, s => s.Reason.StartsWith("missed:", StringComparison.Ordinal));

        // No occurrence twice: one run id per occurrence, each run one container created and started once, its action
        // ran once, and no container of this schedule belongs to a run the schedule does not list.
        var ids = status.Runs.Select(r => r.Id).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(status.Runs, r => Assert.Equal(ScheduleNames.RunId(name, r.Occurrence), r.Id));
        foreach (string id in ids)
        {
            Assert.Equal("SUCCESS", await run.WaitForStateAsync(node, id, cts.Token, "SUCCESS", "FAILED", "TIMEOUT", "CANCELLED"));
            Assert.Equal(["started"], await File.ReadAllLinesAsync(Path.Combine(DurabilityRun.WorkflowFolder(node, id), "starts.txt"), cts.Token));
        }

        // Docker's event stream may lag its containers a little: wait (bounded) until it has reported every run's.
        await docker.WaitUntilAsync(log => ids.All(id => log.CountByWorkflow("start").ContainsKey(id)), cts.Token);
        var creates = docker.CountByWorkflow("create");
        var (plainCreates, plainStarts) = (docker.CountByWorkflow("create", held: false), docker.CountByWorkflow("start", held: false));
        var (heldCreates, heldStarts) = (docker.CountByWorkflow("create", held: true), docker.CountByWorkflow("start", held: true));
        output.WriteLine($"container events:\n{docker}");
        // Its container was made once, and started once: either started at its turn, or started ahead (held by a waiter)
        // and released. A container started ahead whose holder the kill ended never ran its action (its waiter exits
        // unreleased) and is replaced by one started at its turn: then one of each.
        Assert.All(ids, id =>
        {
            var plain = (plainCreates.GetValueOrDefault(id), plainStarts.GetValueOrDefault(id));
            var held = (heldCreates.GetValueOrDefault(id), heldStarts.GetValueOrDefault(id));
            Assert.True(plain is (0, 0) or (1, 1) && held is (0, 0) or (1, 0) or (1, 1) && (plain == (1, 1) || held == (1, 1)),
                $"{id}: created, started at its turn {plain}; started ahead {held}");
        });
        Assert.All(creates, c => Assert.InRange(c.Value, 1, 2));
        string lastListed = ids.Max(StringComparer.Ordinal)!;
        Assert.All(creates.Keys.Where(id => string.CompareOrdinal(id, lastListed) <= 0), id => Assert.Contains(id, ids));

        using (HttpResponseMessage deleted = await node.Http.DeleteAsync($"/api/schedules/{name}", cts.Token))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        foreach (string id in creates.Keys)
        {
            await run.WaitNoContainerLeftAsync(id, cts.Token);
        }

        await watch.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => docker.Watching);
    }

    /// <summary>Polls GET /api/workflows/{id} until the workflow exists (true) or <paramref name="until"/> passes (false).</summary>
    private static async Task<bool> WaitForWorkflowAsync(ServeNode node, string id, DateTimeOffset until, CancellationToken cancellationToken)
    {
        while (DateTimeOffset.UtcNow < until)
        {
            using HttpResponseMessage response = await node.Http.GetAsync($"/api/workflows/{id}", cancellationToken);
            if (response.StatusCode != HttpStatusCode.NotFound)
            {
                return true;
            }

            await Task.Delay(25, cancellationToken);
        }

        return false;
    }

    /// <summary>Polls GET /api/schedules/{name} until <paramref name="condition"/> holds; fails with its last status and the node's output.</summary>
    private static async Task<ScheduleStatus> WaitForScheduleAsync(
        DurabilityRun run, ServeNode node, string name, Func<ScheduleStatus, bool> condition, CancellationToken cancellationToken)
    {
        ScheduleStatus? status = null;
        while (true)
        {
            try
            {
                using HttpResponseMessage response = await node.Http.GetAsync($"/api/schedules/{name}", cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    status = await response.Content.ReadFromJsonAsync<ScheduleStatus>(Json, cancellationToken);
                    if (status is not null && condition(status))
                    {
                        return status;
                    }
                }

                await Task.Delay(250, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"schedule {name} did not reach the expected state in time; last status: {JsonSerializer.Serialize(status, Json)}\n{run.NodeOutput()}");
            }
        }
    }

    private sealed record ScheduleListBody(IReadOnlyList<ScheduleStatus> Schedules);
}
