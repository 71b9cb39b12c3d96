using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using DurableWorkflows.Core.Contracts;

namespace DurableWorkflows.Server.Tests;

/// <summary>The hardware inventory routes, and starts that name or carry a Hardware record, against a real server.</summary>
public sealed class HardwareApiTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private static CancellationTokenSource Bound() => new(TimeSpan.FromSeconds(90));

    private static string NewName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..20];

    private Task<HttpResponseMessage> PutAsync(string name, string body, CancellationToken cancellationToken) =>
        server.Http.PutAsync($"/api/hardware/{name}", new StringContent(body, Encoding.UTF8, "application/yaml"), cancellationToken);

    [Fact(Timeout = 60_000)]
    public async Task Put_NewThenSameName_Returns201Then200AndGetReturnsTheWholeObject()
    {
        using CancellationTokenSource cts = Bound();
        string name = NewName("put");
        string record = HardwareFixtures.Named(name);
        try
        {
            using HttpResponseMessage created = await PutAsync(name, record, cts.Token);
            using HttpResponseMessage replaced = await PutAsync(name, record.Replace("/dev/nvme0n1", "/dev/sda", StringComparison.Ordinal), cts.Token);
            using HttpResponseMessage got = await server.Http.GetAsync($"/api/hardware/{name}", cts.Token);

            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            Assert.Equal($"/api/hardware/{name}", created.Headers.Location?.ToString());
            Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
            Assert.Equal(HttpStatusCode.OK, got.StatusCode);
            using JsonDocument body = await ServerFixture.ReadJsonAsync(got, cts.Token);
            JsonElement root = body.RootElement;
            Assert.Equal("tinkerbell.org/v1alpha1", root.GetProperty("apiVersion").GetString());
            Assert.Equal("Hardware", root.GetProperty("kind").GetString());
            Assert.Equal(name, root.GetProperty("metadata").GetProperty("name").GetString());
            Assert.Equal("/dev/sda", root.GetProperty("spec").GetProperty("disks")[0].GetProperty("device").GetString());
            JsonElement dhcp = root.GetProperty("spec").GetProperty("interfaces")[0].GetProperty("dhcp");
            Assert.Equal("3c:ec:ef:4c:4f:54", dhcp.GetProperty("mac").GetString());
            Assert.Equal("172.16.10.100", dhcp.GetProperty("ip").GetProperty("address").GetString());
            Assert.True(root.GetProperty("spec").GetProperty("interfaces")[0].GetProperty("netboot").GetProperty("allowPXE").GetBoolean());
        }
        finally
        {
            await server.Http.DeleteAsync($"/api/hardware/{name}");
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task Put_SpecAloneAsJson_IsStoredUnderTheRouteName()
    {
        using CancellationTokenSource cts = Bound();
        string name = NewName("spec");
        try
        {
            using HttpResponseMessage put = await server.Http.PutAsync(
                $"/api/hardware/{name}",
                new StringContent("""{"disks": [{"device": "/dev/vda"}], "interfaces": [{"dhcp": {"mac": "aa:bb:cc:dd:ee:ff"}}]}""", Encoding.UTF8, "application/json"),
                cts.Token);
            using JsonDocument body = await ServerFixture.ReadJsonAsync(put, cts.Token);

            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
            Assert.Equal(name, body.RootElement.GetProperty("metadata").GetProperty("name").GetString());
            Assert.Equal("/dev/vda", body.RootElement.GetProperty("spec").GetProperty("disks")[0].GetProperty("device").GetString());
        }
        finally
        {
            await server.Http.DeleteAsync($"/api/hardware/{name}");
        }
    }

    [Theory(Timeout = 30_000)]
    [InlineData("spec:\n  interfaces:\n    - dhcp:\n        uefi: maybe\n", 4, 15, "expected true or false")]
    [InlineData("kind: Machine\nspec: {}\n", 1, 7, "expected \"Hardware\"")]
    [InlineData("metadata:\n  name: other\nspec: {}\n", 2, 9, "metadata.name is 'other' but the record is put as")]
    [InlineData("metadata:\n  annotations:\n    durableworkflows.io/docker-endpoint: docker.sock\nspec: {}\n", 3, 42, "is not a Docker endpoint")]
    [InlineData("disks: [\n", 2, 1, "invalid YAML")]
    public async Task Put_BadRecord_Returns400WithLineAndColumn(string record, int line, int column, string message)
    {
        using CancellationTokenSource cts = Bound();
        string name = NewName("bad");

        using HttpResponseMessage response = await PutAsync(name, record, cts.Token);
        using HttpResponseMessage get = await server.Http.GetAsync($"/api/hardware/{name}", cts.Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using JsonDocument body = await ServerFixture.ReadJsonAsync(response, cts.Token);
        Assert.Equal("Invalid hardware record", body.RootElement.GetProperty("title").GetString());
        JsonElement error = body.RootElement.GetProperty("errors")[0];
        Assert.Equal(line, error.GetProperty("line").GetInt32());
        Assert.Equal(column, error.GetProperty("column").GetInt32());
        Assert.Contains(message, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
    }

    [Theory(Timeout = 30_000)]
    [InlineData("PUT", "/api/hardware/-starts-with-dash", "disks: []", HttpStatusCode.BadRequest, "not a valid hardware name")]
    [InlineData("GET", "/api/hardware/bad%20name", null, HttpStatusCode.BadRequest, "not a valid hardware name")]
    [InlineData("DELETE", "/api/hardware/bad%20name", null, HttpStatusCode.BadRequest, "not a valid hardware name")]
    [InlineData("PUT", "/api/hardware/empty-body", "  ", HttpStatusCode.BadRequest, "The body is a Hardware record")]
    [InlineData("GET", "/api/hardware/no-such-machine", null, HttpStatusCode.NotFound, "No hardware record named 'no-such-machine'")]
    [InlineData("DELETE", "/api/hardware/no-such-machine", null, HttpStatusCode.NotFound, "No hardware record named 'no-such-machine'")]
    public async Task Routes_BadNameBodyOrUnknownRecord_AnswerProblemDetails(string method, string path, string? body, HttpStatusCode status, string detail)
    {
        using CancellationTokenSource cts = Bound();
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = body is null ? null : new StringContent(body) };

        using HttpResponseMessage response = await server.Http.SendAsync(request, cts.Token);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using JsonDocument problem = await ServerFixture.ReadJsonAsync(response, cts.Token);
        Assert.Contains(detail, problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task DeleteAndList_StoredRecords_ListedByNameUntilDeleted()
    {
        using CancellationTokenSource cts = Bound();
        string prefix = NewName("list")[..12];
        string first = prefix + "-a";
        string second = prefix + "-b";
        string annotated = HardwareFixtures.Named(second, "tcp://127.0.0.1:2375");
        try
        {
            using HttpResponseMessage putSecond = await PutAsync(second, annotated, cts.Token);
            using HttpResponseMessage putFirst = await PutAsync(first, "disks: [{device: /dev/sdb}]", cts.Token);
            Assert.Equal(HttpStatusCode.Created, putSecond.StatusCode);
            Assert.Equal(HttpStatusCode.Created, putFirst.StatusCode);

            using JsonDocument listed = JsonDocument.Parse(await server.Http.GetStringAsync("/api/hardware", cts.Token));
            using HttpResponseMessage deleted = await server.Http.DeleteAsync($"/api/hardware/{first}", cts.Token);
            using HttpResponseMessage deletedAgain = await server.Http.DeleteAsync($"/api/hardware/{first}", cts.Token);
            using HttpResponseMessage gone = await server.Http.GetAsync($"/api/hardware/{first}", cts.Token);
            using JsonDocument after = JsonDocument.Parse(await server.Http.GetStringAsync("/api/hardware", cts.Token));

            JsonElement[] mine = [.. listed.RootElement.GetProperty("hardware").EnumerateArray().Where(h => h.GetProperty("name").GetString()!.StartsWith(prefix, StringComparison.Ordinal))];
            Assert.Equal([first, second], mine.Select(h => h.GetProperty("name").GetString()));
            Assert.Equal("/dev/sdb", mine[0].GetProperty("disks")[0].GetString());
            Assert.Equal(JsonValueKind.Null, mine[0].GetProperty("dockerEndpoint").ValueKind);
            Assert.Equal(["3c:ec:ef:4c:4f:54", "3c:ec:ef:4c:4f:55"], mine[1].GetProperty("macs").EnumerateArray().Select(m => m.GetString()));
            Assert.Equal("tcp://127.0.0.1:2375", mine[1].GetProperty("dockerEndpoint").GetString());
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, deletedAgain.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
            Assert.DoesNotContain(after.RootElement.GetProperty("hardware").EnumerateArray(), h => h.GetProperty("name").GetString() == first);
        }
        finally
        {
            await server.Http.DeleteAsync($"/api/hardware/{first}");
            await server.Http.DeleteAsync($"/api/hardware/{second}");
        }
    }

    [Fact(Timeout = 120_000)]
    public async Task Start_NamedHardware_TemplateReadsItsMacAndDiskAndTheActionEchoesThem()
    {
        using CancellationTokenSource cts = Bound();
        string name = NewName("named");
        string id = NewName("hw-named");
        try
        {
            using HttpResponseMessage put = await PutAsync(name, HardwareFixtures.Named(name), cts.Token);
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);

            using HttpResponseMessage started = await server.Http.PostAsJsonAsync("/api/workflows", new { template = HardwareFixtures.EchoesHardware, id, hardware = name }, cts.Token);
            Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
            using JsonDocument final = await server.WaitForStateAsync(id, cts.Token, WorkflowState.SUCCESS, WorkflowState.FAILED);

            Assert.Equal("SUCCESS", final.RootElement.GetProperty("state").GetString());
            Assert.Equal("3c:ec:ef:4c:4f:54", final.RootElement.GetProperty("tasks")[0].GetProperty("worker").GetString());
            Assert.Equal("mac=3c:ec:ef:4c:4f:54 disk=/dev/nvme0n1 part=/dev/nvme0n1p1", await ActionLogAsync(id, "show", "echo", cts.Token));
        }
        finally
        {
            await server.Http.DeleteAsync($"/api/hardware/{name}");
            Assert.Equal(0, await server.RemoveContainersOfAsync(id));
        }
    }

    [Fact(Timeout = 120_000)]
    public async Task Start_InlineHardwareObject_TemplateReadsIt()
    {
        using CancellationTokenSource cts = Bound();
        string id = NewName("hw-inline");
        var hardware = JsonDocument.Parse("""{"spec": {"disks": [{"device": "/dev/sdc"}], "interfaces": [{"dhcp": {"mac": "02:00:00:00:00:01"}}]}}""").RootElement;
        try
        {
            using HttpResponseMessage started = await server.Http.PostAsJsonAsync("/api/workflows", new { template = HardwareFixtures.EchoesHardware, id, hardware }, cts.Token);
            Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
            using JsonDocument final = await server.WaitForStateAsync(id, cts.Token, WorkflowState.SUCCESS, WorkflowState.FAILED);

            Assert.Equal("SUCCESS", final.RootElement.GetProperty("state").GetString());
            Assert.Equal("mac=02:00:00:00:00:01 disk=/dev/sdc part=/dev/sdc1", await ActionLogAsync(id, "show", "echo", cts.Token));
        }
        finally
        {
            Assert.Equal(0, await server.RemoveContainersOfAsync(id));
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task StartAndValidate_UnknownOrInvalidHardware_Return400NamingIt()
    {
        using CancellationTokenSource cts = Bound();
        var invalid = JsonDocument.Parse("""{"spec": {"disks": "sda"}}""").RootElement;

        using HttpResponseMessage unknown = await server.Http.PostAsJsonAsync("/api/workflows", new { template = HardwareFixtures.EchoesHardware, hardware = "no-such-machine" }, cts.Token);
        using HttpResponseMessage bad = await server.Http.PostAsJsonAsync("/api/workflows", new { template = HardwareFixtures.EchoesHardware, hardware = invalid }, cts.Token);
        using HttpResponseMessage wrongKind = await server.Http.PostAsJsonAsync("/api/workflows", new { template = HardwareFixtures.EchoesHardware, hardware = 42 }, cts.Token);
        using HttpResponseMessage validateUnknown = await server.Http.PostAsJsonAsync("/api/templates/validate", new { template = HardwareFixtures.EchoesHardware, hardware = "no-such-machine" }, cts.Token);
        using HttpResponseMessage withoutHardware = await server.Http.PostAsJsonAsync("/api/templates/validate", new { template = HardwareFixtures.EchoesHardware }, cts.Token);

        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        using (JsonDocument problem = await ServerFixture.ReadJsonAsync(unknown, cts.Token))
        {
            Assert.Equal("Unknown hardware", problem.RootElement.GetProperty("title").GetString());
            Assert.Contains("'no-such-machine'", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        using (JsonDocument problem = await ServerFixture.ReadJsonAsync(bad, cts.Token))
        {
            Assert.Equal("Invalid hardware record", problem.RootElement.GetProperty("title").GetString());
            Assert.Contains("spec.disks: expected a list", problem.RootElement.GetProperty("errors")[0].GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.BadRequest, wrongKind.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, validateUnknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, withoutHardware.StatusCode);
        using JsonDocument missing = await ServerFixture.ReadJsonAsync(withoutHardware, cts.Token);
        Assert.Contains("Hardware", missing.RootElement.GetProperty("errors")[0].GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    private async Task<string> ActionLogAsync(string id, string task, string action, CancellationToken cancellationToken)
    {
        using JsonDocument logs = JsonDocument.Parse(await server.Http.GetStringAsync($"/api/workflows/{id}/logs?task={task}&action={action}", cancellationToken));
        return Assert.Single(logs.RootElement.EnumerateArray()).GetProperty("text").GetString()!.Trim();
    }
}
