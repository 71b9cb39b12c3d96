using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace DurableWorkflows.Core.Telemetry;

/// <summary>
/// The engine's metrics and traces, all in one place: one <see cref="Meter"/> and one <see cref="ActivitySource"/>
/// named <see cref="Name"/>. Names follow OpenTelemetry's conventions; the Prometheus exporter turns
/// <c>dwf.workflows.started</c> into <c>dwf_workflows_started_total</c> and a histogram in seconds into
/// <c>..._seconds</c>. Labels are low-cardinality: a template's name, a state, an outcome, a Docker endpoint, never a
/// workflow id. Each process counts what it did; nothing is counted again when an orchestration replays.
/// </summary>
public static class DwfTelemetry
{
    public const string Name = "DurableWorkflows";

    /// <summary>The Durable Task SDK's own source, included in traces.</summary>
    public const string DurableTaskSource = "Microsoft.DurableTask";

    public static readonly Meter Meter = new(Name);

    public static readonly ActivitySource Source = new(Name);

    private static readonly double[] SecondsBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];

    private static readonly InstrumentAdvice<double> SecondsAdvice = new() { HistogramBucketBoundaries = SecondsBuckets };

    public static readonly Counter<long> WorkflowsStarted =
        Meter.CreateCounter<long>("dwf.workflows.started", description: "Workflows started, by template name");

    public static readonly Counter<long> WorkflowsFinished =
        Meter.CreateCounter<long>("dwf.workflows.finished", description: "Workflows finished, by template name and final state");

    public static readonly Histogram<double> WorkflowDuration =
        Meter.CreateHistogram("dwf.workflow.duration", "s", "From a workflow's start to its end, by template name and final state", advice: SecondsAdvice);

    public static readonly Histogram<double> ActionDuration =
        Meter.CreateHistogram("dwf.action.duration", "s", "Each action attempt, by outcome (success, failed, timeout, cancelled)", advice: SecondsAdvice);

    public static readonly Counter<long> ActionRetries =
        Meter.CreateCounter<long>("dwf.action.retries", description: "Action attempts retried after a failure or a timeout");

    public static readonly Histogram<double> ServiceReadyDuration =
        Meter.CreateHistogram("dwf.service.ready.duration", "s", "From a service's container start to ready (healthy, or running without a health check)", advice: SecondsAdvice);

    public static readonly Histogram<double> ServiceDuration =
        Meter.CreateHistogram("dwf.service.duration", "s", "A service's life, from its start to its removal, by outcome (success: removed by the cleanup; failed)", advice: SecondsAdvice);

    public static readonly Counter<long> ServiceRestarts =
        Meter.CreateCounter<long>("dwf.service.restarts", description: "Restarts of service containers by their restart policy");

    public static readonly Counter<long> ContainerOperations =
        Meter.CreateCounter<long>("dwf.container.operations", description: "Docker API operations, by endpoint, operation and result (ok, an HTTP status, unreachable, error)");

    public static readonly Counter<long> EngineUnreachable =
        Meter.CreateCounter<long>("dwf.engine.unreachable", description: "Times a Docker endpoint could not be reached, by endpoint");

    public static readonly Counter<long> ReaperRemovals =
        Meter.CreateCounter<long>("dwf.reaper.removals", description: "Containers the reaper removed (their workflow had ended or was unknown)");

    public static readonly Counter<long> ScheduleOccurrences =
        Meter.CreateCounter<long>("dwf.schedule.occurrences", description: "Schedule occurrences, by outcome (started, skipped, missed, failed)");

    public static readonly Counter<long> AgentCalls =
        Meter.CreateCounter<long>("dwf.agent.calls", description: "Calls from agents, by protocol, method and gRPC status");

    /// <summary>How many agents called lately (set by the server that serves them).</summary>
    public static Func<int>? ConnectedAgents { get; set; }

    /// <summary>How many workflows of the task hub are pending or running, as last counted (set by the server).</summary>
    public static Func<long?>? RunningWorkflows { get; set; }

    public static readonly ObservableGauge<int> AgentsConnected =
        Meter.CreateObservableGauge("dwf.agents.connected", () => ConnectedAgents?.Invoke() ?? 0, description: "Agents that called within the last 30 s");

    public static readonly ObservableGauge<long> WorkflowsRunning =
        Meter.CreateObservableGauge<long>("dwf.workflows.running", () => RunningWorkflows?.Invoke() is { } n ? [new Measurement<long>(n)] : Array.Empty<Measurement<long>>(),
            description: "Workflows of the task hub pending or running (counted every 15 s; the same on every node)");

    /// <summary>The tags of a workflow's metrics.</summary>
    public static KeyValuePair<string, object?> Template(string name) => new("template", name);

    public static KeyValuePair<string, object?> Tag(string key, object? value) => new(key, value);
}
