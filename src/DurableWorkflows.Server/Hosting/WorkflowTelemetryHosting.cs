using DurableWorkflows.Core.Telemetry;
using DurableWorkflows.Server.Api;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace DurableWorkflows.Server.Hosting;

/// <summary>
/// <c>dwf serve</c>'s metrics and traces (OpenTelemetry): the engine's meter and HTTP server metrics on
/// <c>GET /metrics</c> in Prometheus' text format, behind the API token when one is set; traces of the engine, the
/// Durable Task SDK and the HTTP requests exported over OTLP only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set
/// (the standard <c>OTEL_*</c> variables configure the exporter); otherwise no tracing is set up at all.
/// </summary>
public static class WorkflowTelemetryHosting
{
    public const string MetricsPath = "/metrics";

    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary><c>DurableWorkflows:Metrics:Enabled</c> (default true): false serves no <c>/metrics</c> and sets up no telemetry at all.</summary>
    public static bool MetricsEnabled(IConfiguration configuration) => configuration.GetValue("DurableWorkflows:Metrics:Enabled", true);

    public static void AddWorkflowTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddHostedService<Workflows.RunningWorkflowsCount>();
        OpenTelemetry.OpenTelemetryBuilder telemetry = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("dwf"))
            .WithMetrics(m => m.AddMeter(DwfTelemetry.Name).AddAspNetCoreInstrumentation().AddPrometheusExporter());
        if (!string.IsNullOrWhiteSpace(configuration[OtlpEndpointVariable]))
        {
            telemetry.WithTracing(t => t
                .AddSource(DwfTelemetry.Name, DwfTelemetry.DurableTaskSource)
                // Not the scrapes, nor the worker's own gRPC calls to the sidecar (the SDK's spans say what they did).
                .AddAspNetCoreInstrumentation(o => o.Filter = c => !c.Request.Path.StartsWithSegments(MetricsPath) && !c.Request.Path.StartsWithSegments("/TaskHubSidecarService"))
                .AddOtlpExporter());
        }
    }

    public static void MapWorkflowMetrics(this WebApplication app)
    {
        BearerTokenFilter.Guard(app, MetricsPath);
        app.MapPrometheusScrapingEndpoint(MetricsPath);
    }
}
