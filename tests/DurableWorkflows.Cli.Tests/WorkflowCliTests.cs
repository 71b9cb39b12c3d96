using System.Text.Json;
using DurableWorkflows.Server.Tests;

namespace DurableWorkflows.Cli.Tests;

/// <summary><c>dwf run</c> end to end (in-process host, real Docker engine), and the client commands against a real server.</summary>
public sealed class WorkflowCliTests(ServerFixture server) : IClassFixture<ServerFixture>, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("dwf-cli-tests-").FullName;

    static WorkflowCliTests()
    {
        // `dwf run` reads its settings from host.json and the environment; the test engine refuses privileged containers.
        Environment.SetEnvironmentVariable("DurableWorkflows__Docker__Privileged", "false");
        Environment.SetEnvironmentVariable("DurableWorkflows__Docker__StopGracePeriodSeconds", "1");
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact(Timeout = 120_000)]
    public async Task Run_SucceedingWorkflow_Exits0AndPrintsFinalStatusJson()
    {
        var (code, output, error) = await DwfAsync("run", Write("ok.yaml", Templates.Succeeds), "--json");

        Assert.True(code == 0, error);
        using JsonDocument status = JsonDocument.Parse(output);
        Assert.Equal("SUCCESS", status.RootElement.GetProperty("state").GetString());
        Assert.Equal("Completed", status.RootElement.GetProperty("runtimeStatus").GetString());
        Assert.Contains("greet/say-hello", error, StringComparison.Ordinal);
        Assert.Empty(await server.ContainersOfAsync(status.RootElement.GetProperty("id").GetString()!, CancellationToken.None));
    }

    [Fact(Timeout = 120_000)]
    public async Task Run_FailingAction_Exits1AndNamesTheActionWithItsLog()
    {
        var (code, output, error) = await DwfAsync("run", Write("fail.yaml", Templates.Fails));

        Assert.True(code == 1, error);
        Assert.Equal("", output);
        Assert.Contains("work/explode", error, StringComparison.Ordinal);
        Assert.Contains("about to fail", error, StringComparison.Ordinal);
        Assert.Contains("FAILED", error, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task Run_InvalidTemplate_Exits2WithFileLineColumnErrors()
    {
        string file = Write("bad.yaml", Templates.Invalid);

        var (code, _, error) = await DwfAsync("run", file);

        Assert.Equal(2, code);
        Assert.Contains($"{file}:7:", error, StringComparison.Ordinal);
    }

    [Fact(Timeout = 150_000)]
    public async Task StartWatchStatusEvents_AgainstServer_FollowTheWorkflowToItsExitCode()
    {
        string url = server.Http.BaseAddress!.ToString();
        var (startCode, id, startError) = await DwfAsync("start", Write("fail.yaml", Templates.Fails), "--server", url);
        id = id.Trim();
        try
        {
            Assert.True(startCode == 0, startError);

            var (watchCode, _, watchError) = await DwfAsync("watch", id, "--server", url);
            var (statusCode, statusJson, _) = await DwfAsync("status", id, "--json", "--server", url);
            var (eventsCode, events, _) = await DwfAsync("events", id, "--server", url);
            var (listCode, list, _) = await DwfAsync("list", "--state", "FAILED", "--server", url);
            var (logsCode, logs, _) = await DwfAsync("logs", id, "--task", "work", "--action", "explode", "--server", url);
            var (cancelCode, _, cancelError) = await DwfAsync("cancel", id, "--server", url);
            var (unknownCode, _, unknownError) = await DwfAsync("status", "no-such-workflow", "--server", url);

            Assert.True(watchCode == 1, watchError);
            Assert.Contains("work/explode", watchError, StringComparison.Ordinal);
            Assert.Equal(0, statusCode);
            using (JsonDocument status = JsonDocument.Parse(statusJson))
            {
                Assert.Equal("FAILED", status.RootElement.GetProperty("state").GetString());
            }

            Assert.Equal(0, eventsCode);
            Assert.Contains("work/explode", events, StringComparison.Ordinal);
            Assert.Equal(0, listCode);
            Assert.Contains(id, list, StringComparison.Ordinal);
            Assert.Equal(0, logsCode);
            Assert.Contains("about to fail", logs, StringComparison.Ordinal);
            Assert.Equal(1, cancelCode);
            Assert.Contains("410", cancelError, StringComparison.Ordinal);
            Assert.Equal(1, unknownCode);
            Assert.Contains("404", unknownError, StringComparison.Ordinal);
        }
        finally
        {
            Assert.Equal(0, await server.RemoveContainersOfAsync(id));
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task Start_InvalidTemplate_Exits2WithFileLineColumnErrors()
    {
        string file = Write("bad.yaml", Templates.Invalid);

        var (code, _, error) = await DwfAsync("start", file, "--server", server.Http.BaseAddress!.ToString());

        Assert.Equal(2, code);
        Assert.Contains($"{file}:7:", error, StringComparison.Ordinal);
    }

    private string Write(string name, string text)
    {
        string path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static Task<(int Code, string Output, string Error)> DwfAsync(params string[] args) => Dwf.RunAsync(args);
}
