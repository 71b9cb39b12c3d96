using System.Net.Http.Json;
using DurableWorkflows.Core.Contracts;
using DurableWorkflows.Server.Tests;

namespace DurableWorkflows.Cli.Tests;

/// <summary><c>dwf schedule …</c> against a real server: every command, its output and its exit codes.</summary>
public sealed class ScheduleCliTests(ServerFixture server) : IClassFixture<ServerFixture>, IAsyncLifetime
{
    private const string Template = """
        version: "0.1"
        name: scheduled
        global_timeout: 120
        tasks:
          - name: "work"
            worker: "local"
            actions:
              - name: "sleep"
                image: dwf-busybox:latest
                timeout: 60
                command: ["sleep", "{{.seconds}}"]
        """;

    private readonly string _prefix = "c" + Guid.NewGuid().ToString("N")[..8];
    private readonly CancellationTokenSource _cts = new(TimeSpan.FromSeconds(90));

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>Deletes this test's schedules and waits for the runs they started, so nothing is left.</summary>
    public async Task DisposeAsync()
    {
        using var cleanup = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        foreach (string name in new[] { Name("cli"), Name("cli-update") })
        {
            using HttpResponseMessage deleted = await server.Http.DeleteAsync($"/api/schedules/{name}", cleanup.Token);
        }

        using var list = await ServerFixture.ReadJsonAsync(await server.Http.GetAsync("/api/workflows?top=200", cleanup.Token), cleanup.Token);
        foreach (var workflow in list.RootElement.GetProperty("workflows").EnumerateArray())
        {
            string id = workflow.GetProperty("id").GetString()!;
            if (id.StartsWith(_prefix, StringComparison.Ordinal))
            {
                using var final = await server.WaitForStateAsync(id, cleanup.Token, WorkflowState.SUCCESS, WorkflowState.FAILED, WorkflowState.TIMEOUT, WorkflowState.CANCELLED);
                await server.RemoveContainersOfAsync(id);
            }
        }

        _cts.Dispose();
    }

    private string Name(string suffix) => $"{_prefix}-{suffix}";

    private Task<(int Exit, string Output, string Error)> DwfAsync(params string[] args) =>
        Dwf.RunAsync([.. args, "--server", server.Http.BaseAddress!.ToString()]);

    private async Task<ScheduleStatus> WaitForAsync(string name, Func<ScheduleStatus, bool> condition)
    {
        while (true)
        {
            ScheduleStatus? status = await server.Http.GetFromJsonAsync<ScheduleStatus>($"/api/schedules/{name}", ServerFixture.Json, _cts.Token);
            if (status is not null && condition(status))
            {
                return status;
            }

            await Task.Delay(200, _cts.Token);
        }
    }

    [Fact(Timeout = 120_000)]
    public async Task DwfScheduleUpdate_ChangesWhatIsGivenAndReportsProblems()
    {
        var name = Name("cli-update");
        var file = Path.Combine(Path.GetTempPath(), $"{name}.yaml");
        var bad = Path.Combine(Path.GetTempPath(), $"{name}-bad.yaml");
        await File.WriteAllTextAsync(file, Template, _cts.Token);
        await File.WriteAllTextAsync(bad, Template.Replace("actions:", "actoins:", StringComparison.Ordinal), _cts.Token);
        try
        {
            Assert.Equal(0, (await DwfAsync("schedule", "create", name, "--cron", "0 3 1 1 *", "--tz", "Europe/Berlin", "--var", "seconds=0", file)).Exit);

            var updated = await DwfAsync("schedule", "update", name, "--cron", "0 4 1 1 *", "--overlap", "allow");
            Assert.Equal((0, ""), (updated.Exit, updated.Error));
            Assert.StartsWith($"schedule {name} updated: 0 4 1 1 * (Europe/Berlin), next run ", updated.Output, StringComparison.Ordinal);
            await WaitForAsync(name, s => s.Cron == "0 4 1 1 *" && s.Overlap == ScheduleOverlap.Allow && s.TimeZone == "Europe/Berlin");

            var withFile = await DwfAsync("schedule", "update", name, "--var", "seconds=1", "--tz", "UTC", file);
            Assert.Equal((0, ""), (withFile.Exit, withFile.Error));
            await WaitForAsync(name, s => s.TimeZone == "UTC" && s.Cron == "0 4 1 1 *");

            Assert.Equal(2, (await DwfAsync("schedule", "update", name)).Exit);
            Assert.Equal(2, (await DwfAsync("schedule", "update", name, "--overlap", "sometimes")).Exit);
            Assert.Equal(2, (await DwfAsync("schedule", "update", name, "--hardware", file + ".missing")).Exit);
            var badCron = await DwfAsync("schedule", "update", name, "--cron", "61 * * * *");
            Assert.Equal(1, badCron.Exit);
            Assert.Contains("61 * * * *", badCron.Error, StringComparison.Ordinal);
            var badFile = await DwfAsync("schedule", "update", name, bad);
            Assert.Equal(1, badFile.Exit);
            Assert.StartsWith($"{bad}:", badFile.Error, StringComparison.Ordinal);
            var missing = await DwfAsync("schedule", "update", Name("nope"), "--cron", "0 4 * * *");
            Assert.Equal(1, missing.Exit);
            Assert.Contains("404", missing.Error, StringComparison.Ordinal);

            var shown = await DwfAsync("schedule", "show", name);
            Assert.Contains("cron:      0 4 1 1 * (UTC)", shown.Output, StringComparison.Ordinal);
            Assert.Contains("overlap:   allow", shown.Output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
            File.Delete(bad);
        }
    }

    [Fact(Timeout = 120_000)]
    public async Task DwfSchedule_EveryCommand_TalksToTheServer()
    {
        var name = Name("cli");
        var file = Path.Combine(Path.GetTempPath(), $"{name}.yaml");
        var bad = Path.Combine(Path.GetTempPath(), $"{name}-bad.yaml");
        await File.WriteAllTextAsync(file, Template, _cts.Token);
        await File.WriteAllTextAsync(bad, Template.Replace("actions:", "actoins:", StringComparison.Ordinal), _cts.Token);
        try
        {
            var created = await DwfAsync("schedule", "create", name, "--cron", "0 3 1 1 *", "--tz", "Europe/Berlin", "--var", "seconds=0", file);
            Assert.Equal((0, ""), (created.Exit, created.Error));
            Assert.Contains($"schedule {name} created: 0 3 1 1 * (Europe/Berlin)", created.Output, StringComparison.Ordinal);

            var invalid = await DwfAsync("schedule", "create", name + "-bad", "--cron", "0 3 * * *", "--var", "seconds=0", bad);
            Assert.Equal(1, invalid.Exit);
            Assert.StartsWith($"{bad}:", invalid.Error, StringComparison.Ordinal);

            var again = await DwfAsync("schedule", "create", name, "--cron", "0 3 * * *", "--var", "seconds=0", file);
            Assert.Equal(1, again.Exit);
            Assert.Contains("409", again.Error, StringComparison.Ordinal);

            Assert.Equal(0, (await DwfAsync("schedule", "run-now", name)).Exit);
            await WaitForAsync(name, s => s.Runs.Count == 1);
            Assert.Equal(0, (await DwfAsync("schedule", "pause", name)).Exit);
            await WaitForAsync(name, s => s.Paused);

            var list = await DwfAsync("schedule", "list");
            Assert.Equal(0, list.Exit);
            Assert.Matches($@"(?m)^{name}\s+0 3 1 1 \*\s+Europe/Berlin\s+skip\s+paused\s", list.Output);

            var show = await DwfAsync("schedule", "show", name);
            Assert.Equal(0, show.Exit);
            Assert.Contains("state:     paused", show.Output, StringComparison.Ordinal);
            Assert.Contains("(run now)", show.Output, StringComparison.Ordinal);

            Assert.Equal(0, (await DwfAsync("schedule", "resume", name)).Exit);
            await WaitForAsync(name, s => !s.Paused);
            Assert.Equal(0, (await DwfAsync("schedule", "delete", name)).Exit);
            var missing = await DwfAsync("schedule", "show", name);
            Assert.Equal(1, missing.Exit);
            Assert.Contains("404", missing.Error, StringComparison.Ordinal);
            Assert.Equal(2, (await DwfAsync("schedule", "create", name, "--cron", "0 3 * * *", "--overlap", "sometimes", file)).Exit);
            Assert.Equal(2, (await DwfAsync("schedule", "create", name, "--cron", "0 3 * * *", "--hardware", file + ".missing", file)).Exit);
        }
        finally
        {
            File.Delete(file);
            File.Delete(bad);
        }
    }
}
