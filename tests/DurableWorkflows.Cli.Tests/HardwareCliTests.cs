using System.Text.Json;
using DurableWorkflows.Core.Contracts;
using DurableWorkflows.Server.Tests;

namespace DurableWorkflows.Cli.Tests;

/// <summary><c>dwf hardware</c>, <c>dwf start --hardware/--hardware-name</c> and <c>dwf schedule create --hardware</c> against a real server.</summary>
public sealed class HardwareCliTests(ServerFixture server) : IClassFixture<ServerFixture>, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("dwf-hardware-cli-").FullName;

    private string Url => server.Http.BaseAddress!.ToString();

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact(Timeout = 90_000)]
    public async Task Hardware_PutGetListDelete_AgainstServer()
    {
        string name = $"cli-{Guid.NewGuid():N}"[..16];
        string file = Write("sm01.yaml", HardwareFixtures.Named(name, "tcp://127.0.0.1:2375"));
        try
        {
            var (putCode, putOut, putError) = await Dwf.RunAsync("hardware", "put", name, file, "--server", Url);
            var (againCode, againOut, _) = await Dwf.RunAsync("hardware", "put", name, file, "--server", Url);
            var (getCode, getOut, _) = await Dwf.RunAsync("hardware", "get", name, "--server", Url);
            var (jsonCode, jsonOut, _) = await Dwf.RunAsync("hardware", "get", name, "--json", "--server", Url);
            var (listCode, listOut, _) = await Dwf.RunAsync("hardware", "list", "--server", Url);
            var (deleteCode, deleteOut, _) = await Dwf.RunAsync("hardware", "delete", name, "--server", Url);
            var (goneCode, _, goneError) = await Dwf.RunAsync("hardware", "get", name, "--server", Url);

            Assert.True(putCode == 0, putError);
            Assert.Equal($"hardware {name}: created", putOut.Trim());
            Assert.Equal(0, againCode);
            Assert.Equal($"hardware {name}: replaced", againOut.Trim());
            Assert.Equal(0, getCode);
            Assert.Contains("endpoint:  tcp://127.0.0.1:2375", getOut, StringComparison.Ordinal);
            Assert.Contains("disks:     /dev/nvme0n1", getOut, StringComparison.Ordinal);
            Assert.Contains("interface: 3c:ec:ef:4c:4f:54  ip 172.16.10.100/255.255.255.0  gateway 172.16.10.1  hostname sm01", getOut, StringComparison.Ordinal);
            Assert.Equal(0, jsonCode);
            using (JsonDocument json = JsonDocument.Parse(jsonOut))
            {
                Assert.Equal(name, json.RootElement.GetProperty("metadata").GetProperty("name").GetString());
                Assert.Equal("tcp://127.0.0.1:2375", json.RootElement.GetProperty("metadata").GetProperty("annotations").GetProperty(Core.Hardware.HardwareRecord.DockerEndpointAnnotation).GetString());
            }

            Assert.Equal(0, listCode);
            Assert.Contains(listOut.Split('\n'), l => l.StartsWith(name, StringComparison.Ordinal) && l.Contains("3c:ec:ef:4c:4f:54,3c:ec:ef:4c:4f:55", StringComparison.Ordinal));
            Assert.Equal(0, deleteCode);
            Assert.Equal($"hardware {name}: deleted", deleteOut.Trim());
            Assert.Equal(1, goneCode);
            Assert.Contains("404", goneError, StringComparison.Ordinal);
        }
        finally
        {
            await server.Http.DeleteAsync($"/api/hardware/{name}");
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task HardwarePut_BadRecordOrFileOrServer_ExitCodes()
    {
        string bad = Write("bad.yaml", "spec:\n  disks: /dev/sda\n");

        var (badCode, _, badError) = await Dwf.RunAsync("hardware", "put", "bad-record", bad, "--server", Url);
        var (missingCode, _, missingError) = await Dwf.RunAsync("hardware", "put", "x", Path.Combine(_directory, "none.yaml"), "--server", Url);
        var (urlCode, _, _) = await Dwf.RunAsync("hardware", "list", "--server", "not a url");
        var (argsCode, _, _) = await Dwf.RunAsync("hardware", "get");

        Assert.Equal(1, badCode);
        Assert.Contains($"{bad}:2:10: spec.disks: expected a list", badError, StringComparison.Ordinal);
        Assert.Equal(2, missingCode);
        Assert.Contains("cannot read hardware record", missingError, StringComparison.Ordinal);
        Assert.Equal(2, urlCode);
        Assert.Equal(2, argsCode);
    }

    [Fact(Timeout = 150_000)]
    public async Task Start_HardwareNameOrFile_TemplateReadsTheRecord()
    {
        string name = $"start-{Guid.NewGuid():N}"[..16];
        string template = Write("echo.yaml", HardwareFixtures.EchoesHardware);
        string specAlone = Write("spec.yaml", "disks: [{device: /dev/vdb}]\ninterfaces: [{dhcp: {mac: \"02:00:00:00:00:09\"}}]\n");
        var ids = new List<string>();
        try
        {
            Assert.Equal(0, (await Dwf.RunAsync("hardware", "put", name, Write("named.yaml", HardwareFixtures.Named(name)), "--server", Url)).Code);

            var (namedCode, namedId, namedError) = await Dwf.RunAsync("start", template, "--hardware-name", name, "--server", Url);
            ids.Add(namedId.Trim());
            var (fileCode, fileId, fileError) = await Dwf.RunAsync("start", template, "--hardware", specAlone, "--server", Url);
            ids.Add(fileId.Trim());
            var (bothCode, _, bothError) = await Dwf.RunAsync("start", template, "--hardware", specAlone, "--hardware-name", name, "--server", Url);
            var (unknownCode, _, unknownError) = await Dwf.RunAsync("start", template, "--hardware-name", "no-such-machine", "--server", Url);

            Assert.True(namedCode == 0, namedError);
            Assert.True(fileCode == 0, fileError);
            Assert.Equal("mac=3c:ec:ef:4c:4f:54 disk=/dev/nvme0n1 part=/dev/nvme0n1p1", await FinishedLogAsync(ids[0]));
            Assert.Equal("mac=02:00:00:00:00:09 disk=/dev/vdb part=/dev/vdb1", await FinishedLogAsync(ids[1]));
            Assert.Equal(2, bothCode);
            Assert.Contains("not both", bothError, StringComparison.Ordinal);
            Assert.Equal(1, unknownCode);
            Assert.Contains("'no-such-machine'", unknownError, StringComparison.Ordinal);
        }
        finally
        {
            await server.Http.DeleteAsync($"/api/hardware/{name}");
            foreach (string id in ids.Where(i => i.Length > 0))
            {
                Assert.Equal(0, await server.RemoveContainersOfAsync(id));
            }
        }
    }

    [Fact(Timeout = 150_000)]
    public async Task ScheduleCreate_Hardware_EveryRunReadsTheRecord()
    {
        string schedule = $"hw-{Guid.NewGuid():N}"[..12];
        string template = Write("echo.yaml", HardwareFixtures.EchoesHardware);
        string record = Write("record.json", """{"spec": {"disks": [{"device": "/dev/sdz"}], "interfaces": [{"dhcp": {"mac": "02:00:00:00:00:0a"}}]}}""");
        string? runId = null;
        try
        {
            var (createCode, _, createError) = await Dwf.RunAsync("schedule", "create", schedule, "--cron", "0 0 1 1 *", "--hardware", record, template, "--server", Url);
            var (badCode, _, badError) = await Dwf.RunAsync("schedule", "create", schedule + "x", "--cron", "0 0 1 1 *", "--hardware", Write("bad.json", "{\"disks\": 3}"), template, "--server", Url);
            var (runCode, _, runError) = await Dwf.RunAsync("schedule", "run-now", schedule, "--server", Url);

            Assert.True(createCode == 0, createError);
            Assert.Equal(2, badCode);
            Assert.Contains("bad.json:1:11: spec.disks: expected a list", badError, StringComparison.Ordinal);
            Assert.True(runCode == 0, runError);
            runId = await ScheduledRunAsync(schedule);
            Assert.Equal("mac=02:00:00:00:00:0a disk=/dev/sdz part=/dev/sdz1", await FinishedLogAsync(runId));
        }
        finally
        {
            await server.Http.DeleteAsync($"/api/schedules/{schedule}");
            if (runId is not null)
            {
                Assert.Equal(0, await server.RemoveContainersOfAsync(runId));
            }
        }
    }

    /// <summary>The id of the schedule's first run, once it has one.</summary>
    private async Task<string> ScheduledRunAsync(string schedule)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            using JsonDocument status = JsonDocument.Parse(await server.Http.GetStringAsync($"/api/schedules/{schedule}", cts.Token));
            if (status.RootElement.GetProperty("runs").EnumerateArray().FirstOrDefault() is { ValueKind: JsonValueKind.Object } run)
            {
                Assert.True(run.GetProperty("state").GetString() != "NOT_STARTED", run.ToString());
                return run.GetProperty("id").GetString()!;
            }

            await Task.Delay(100, cts.Token);
        }
    }

    /// <summary>Waits for the workflow to succeed and returns its one action's log.</summary>
    private async Task<string> FinishedLogAsync(string id)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using JsonDocument final = await server.WaitForStateAsync(id, cts.Token, WorkflowState.SUCCESS, WorkflowState.FAILED);
        Assert.True(final.RootElement.GetProperty("state").GetString() == "SUCCESS", final.RootElement.ToString());
        using JsonDocument logs = JsonDocument.Parse(await server.Http.GetStringAsync($"/api/workflows/{id}/logs?task=show&action=echo", cts.Token));
        return Assert.Single(logs.RootElement.EnumerateArray()).GetProperty("text").GetString()!.Trim();
    }

    private string Write(string name, string text)
    {
        string path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }
}
