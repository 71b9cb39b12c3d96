using DurableWorkflows.Core.Contracts;
using DurableWorkflows.Server.Hosting;
using DurableWorkflows.Server.Tests.Otlp;

namespace DurableWorkflows.Server.Tests;

/// <summary>A server exporting its traces over OTLP/HTTP to a receiver of the test's own.</summary>
public sealed class OtlpServerFixture() : ServerFixture(new Dictionary<string, string?>
{
    [WorkflowTelemetryHosting.OtlpEndpointVariable] = $"http://127.0.0.1:{Port}",
    ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
    ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
}), IAsyncLifetime
{
    private static readonly int Port = FreePort.Find();

    public OtlpReceiver Receiver { get; private set; } = null!;

    public new async Task InitializeAsync()
    {
        Receiver = await OtlpReceiver.StartAsync(Port);
        await base.InitializeAsync();
    }

    public new async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Receiver.DisposeAsync();
    }
}

/// <summary>One workflow's trace as an OTLP receiver gets it: the span tree, names, nested times, the workflow id.</summary>
public sealed class OtlpTraceTests(OtlpServerFixture server) : IClassFixture<OtlpServerFixture>
{
    private const string Template = $"""
        version: "0.1"
        name: traced
        global_timeout: 120
        services:
          - name: db
            worker: local
            image: {ServerFixture.Image}
            command: ["sleep", "60"]
            healthcheck:
              test: ["CMD", "true"]
              interval: 200ms
        tasks:
          - name: provision
            worker: local
            actions:
              - name: first
                image: {ServerFixture.Image}
                timeout: 30
                command: ["sh", "-c", "sleep 0.2"]
              - name: second
                image: {ServerFixture.Image}
                timeout: 30
                command: ["sh", "-c", "exit 4"]
                retries: 1
                on-failure: ["sh", "-c", "echo handled"]
        """;

    [Fact(Timeout = 180_000)]
    public async Task OneWorkflow_IsOneTrace_UnderItsStartRequest()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(160));
        string id = await server.StartAsync(Template, cts.Token);
        (await server.WaitForStateAsync(id, cts.Token, WorkflowState.FAILED)).Dispose();

        ReceivedSpan workflow = await WaitForAsync(() => server.Receiver.Spans.FirstOrDefault(s => s.Span.Name == "workflow traced" && s.Attribute("dwf.workflow.id") == id), cts.Token);
        ReceivedSpan[] children = [.. server.Receiver.Spans.Where(s => s.Attribute("dwf.workflow.id") == id && s != workflow).OrderBy(s => s.Span.StartTimeUnixNano)];
        ReceivedSpan request = Assert.Single(server.Receiver.Spans, s => s.SpanId == workflow.ParentId);

        // The start request is the root; the workflow's span is its child, and every step is the workflow's child.
        Assert.StartsWith("POST /api/workflows", request.Span.Name, StringComparison.Ordinal);
        Assert.True(request.Span.ParentSpanId.IsEmpty, "the start request is the trace's root");
        Assert.All(children, c => Assert.Equal((workflow.TraceId, workflow.SpanId), (c.TraceId, c.ParentId)));
        Assert.Equal(request.TraceId, workflow.TraceId);
        Assert.Equal(
            ["service db", "action provision/first", "action provision/second", "action provision/second", "handler provision/second on-failure", "cleanup"],
            children.Select(c => c.Span.Name).ToArray());
        Assert.Equal(["1", "2"], children.Where(c => c.Span.Name == "action provision/second").Select(c => c.Attribute("dwf.attempt") ?? "").ToArray());
        Assert.Equal("failed", workflow.Attribute("dwf.state"));

        // The Durable Task SDK's own spans are in the same trace (its activities), the worker's calls to the sidecar are not.
        ReceivedSpan[] trace = await WaitForAsync(() => server.Receiver.Spans.Where(s => s.TraceId == workflow.TraceId).ToArray() is { } t && t.Any(s => s.Span.Name == "activity:StartAction") ? t : null, cts.Token);
        Assert.Contains(trace, s => s.Scope == "Microsoft.DurableTask" && s.Span.Name.StartsWith("create_orchestration", StringComparison.Ordinal));
        Assert.DoesNotContain(trace, s => s.Span.Name.Contains("TaskHubSidecarService", StringComparison.Ordinal));

        // Times contain each other: every step inside the workflow's span; the service ready before the first action.
        Assert.All(children, c => Assert.True(
            workflow.Span.StartTimeUnixNano <= c.Span.StartTimeUnixNano && c.Span.StartTimeUnixNano <= c.Span.EndTimeUnixNano && c.Span.EndTimeUnixNano <= workflow.Span.EndTimeUnixNano,
            $"{c.Span.Name} [{c.Span.StartTimeUnixNano}, {c.Span.EndTimeUnixNano}] outside the workflow's [{workflow.Span.StartTimeUnixNano}, {workflow.Span.EndTimeUnixNano}]"));
        Assert.True(children[0].Span.EndTimeUnixNano <= children[1].Span.StartTimeUnixNano, "the service was ready before the first action started");
        for (int i = 2; i < children.Length; i++)
        {
            Assert.True(children[i - 1].Span.EndTimeUnixNano <= children[i].Span.StartTimeUnixNano, $"{children[i - 1].Span.Name} ended before {children[i].Span.Name} started");
        }
    }

    private static async Task<T> WaitForAsync<T>(Func<T?> find, CancellationToken cancellationToken)
        where T : class
    {
        while (true)
        {
            if (find() is { } found)
            {
                return found;
            }

            await Task.Delay(200, cancellationToken);
        }
    }
}
