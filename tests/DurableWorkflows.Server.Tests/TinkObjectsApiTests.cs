using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using DurableWorkflows.Core.Contracts;

namespace DurableWorkflows.Server.Tests;

/// <summary>
/// Tinkerbell's own objects as tink's documentation writes them: a Template object stored with <c>PUT /api/templates</c>,
/// a Workflow object (templateRef, hardwareRef, hardwareMap) started with <c>POST /api/workflows</c>, as tink would run it.
/// </summary>
public sealed class TinkObjectsApiTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private static CancellationTokenSource Bound() => new(TimeSpan.FromSeconds(90));

    private static string NewName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..20];

    /// <summary>A Template object (tink's docs style). Its template's line 9 (the action's image) is line 16 of the object.</summary>
    private static string TemplateObject(string name, string image = "dwf-busybox:latest") => $$$"""
        apiVersion: "tinkerbell.org/v1alpha1"
        kind: Template
        metadata:
          name: {{{name}}}
          namespace: default
        spec:
          data: |
            version: "0.1"
            name: hello-world
            global_timeout: 60
            tasks:
              - name: "hello world"
                worker: "{{.device_1}}"
                actions:
                  - name: "hello"
                    image: {{{image}}}
                    timeout: 30
                    command: ["sh", "-c", "echo hello {{.device_1}} disk={{ index .Hardware.Disks 0 }}"]
        """;

    private static string WorkflowObject(string templateRef, string hardwareRef, string mac) => $"""
        apiVersion: "tinkerbell.org/v1alpha1"
        kind: Workflow
        metadata:
          name: wf1
          namespace: default
        spec:
          templateRef: {templateRef}
          hardwareRef: {hardwareRef}
          hardwareMap:
            device_1: {mac}
        """;

    private Task<HttpResponseMessage> PutTemplateAsync(string name, string body, CancellationToken cancellationToken) =>
        server.Http.PutAsync($"/api/templates/{name}", new StringContent(body, Encoding.UTF8, "application/yaml"), cancellationToken);

    [Fact(Timeout = 60_000)]
    public async Task Templates_PutGetListDelete_KeepTheTextAsPut()
    {
        using CancellationTokenSource cts = Bound();
        string name = NewName("tpl");
        try
        {
            using HttpResponseMessage created = await PutTemplateAsync(name, TemplateObject(name), cts.Token);
            using HttpResponseMessage replaced = await PutTemplateAsync(name, TemplateObject(name, "dwf-busybox:1"), cts.Token);
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);

            using JsonDocument got = JsonDocument.Parse(await server.Http.GetStringAsync($"/api/templates/{name}", cts.Token));
            Assert.Equal(TemplateObject(name, "dwf-busybox:1"), got.RootElement.GetProperty("template").GetString());
            using JsonDocument list = JsonDocument.Parse(await server.Http.GetStringAsync("/api/templates", cts.Token));
            Assert.Contains(list.RootElement.GetProperty("templates").EnumerateArray(), t => t.GetProperty("name").GetString() == name);

            using HttpResponseMessage mismatch = await PutTemplateAsync(name, TemplateObject("another-name"), cts.Token);
            Assert.Equal(HttpStatusCode.BadRequest, mismatch.StatusCode);
            Assert.Contains("metadata.name is 'another-name'", await mismatch.Content.ReadAsStringAsync(cts.Token), StringComparison.Ordinal);

            using HttpResponseMessage deleted = await server.Http.DeleteAsync($"/api/templates/{name}", cts.Token);
            using HttpResponseMessage gone = await server.Http.GetAsync($"/api/templates/{name}", cts.Token);
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        }
        finally
        {
            await server.Http.DeleteAsync($"/api/templates/{name}");
        }
    }

    [Fact(Timeout = 120_000)]
    public async Task WorkflowObject_StoredTemplateAndHardware_RunsAsTinkWould()
    {
        using CancellationTokenSource cts = Bound();
        string template = NewName("tpl"), hardware = NewName("hw"), id = NewName("tink-wf");
        const string mac = "3c:ec:ef:4c:4f:54";
        try
        {
            using (HttpResponseMessage put = await PutTemplateAsync(template, TemplateObject(template), cts.Token))
            using (HttpResponseMessage hw = await server.Http.PutAsync($"/api/hardware/{hardware}", new StringContent(HardwareFixtures.Named(hardware), Encoding.UTF8, "application/yaml"), cts.Token))
            {
                Assert.Equal(HttpStatusCode.Created, put.StatusCode);
                Assert.Equal(HttpStatusCode.Created, hw.StatusCode);
            }

            using HttpResponseMessage started = await server.Http.PostAsJsonAsync("/api/workflows", new { template = WorkflowObject(template, hardware, mac), id }, cts.Token);
            Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
            using JsonDocument final = await server.WaitForStateAsync(id, cts.Token, WorkflowState.SUCCESS, WorkflowState.FAILED);
            Assert.Equal("SUCCESS", final.RootElement.GetProperty("state").GetString());
            Assert.Equal("hello-world", final.RootElement.GetProperty("name").GetString());
            Assert.Equal(mac, final.RootElement.GetProperty("tasks")[0].GetProperty("worker").GetString());
            using JsonDocument logs = JsonDocument.Parse(await server.Http.GetStringAsync($"/api/workflows/{id}/logs?task=hello%20world&action=hello", cts.Token));
            Assert.Equal($"hello {mac} disk=/dev/nvme0n1", Assert.Single(logs.RootElement.EnumerateArray()).GetProperty("text").GetString()!.Trim());
        }
        finally
        {
            await server.Http.DeleteAsync($"/api/templates/{template}");
            await server.Http.DeleteAsync($"/api/hardware/{hardware}");
            Assert.Equal(0, await server.RemoveContainersOfAsync(id));
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task TinkObjects_UnknownTemplateRefOrBadTemplate_Return400SayingWhereAndWhat()
    {
        using CancellationTokenSource cts = Bound();
        using HttpResponseMessage unknown = await server.Http.PostAsJsonAsync("/api/workflows", new { template = WorkflowObject("no-such-template", "sm01", "02:00:00:00:00:01") }, cts.Token);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("No template named 'no-such-template'", await unknown.Content.ReadAsStringAsync(cts.Token), StringComparison.Ordinal);

        // An error inside spec.data is reported at the Template object's own line:column (line 16 is the action's image).
        string broken = TemplateObject("broken", image: "''");
        using HttpResponseMessage invalid = await server.Http.PostAsJsonAsync("/api/templates/validate", new { template = broken, vars = new { device_1 = "02:00:00:00:00:01" }, hardware = new { spec = new { disks = new[] { new { device = "/dev/sda" } } } } }, cts.Token);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        using JsonDocument problem = JsonDocument.Parse(await invalid.Content.ReadAsStringAsync(cts.Token));
        JsonElement error = Assert.Single(problem.RootElement.GetProperty("errors").EnumerateArray());
        Assert.Equal(16, error.GetProperty("line").GetInt32());
        Assert.Contains("image", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
