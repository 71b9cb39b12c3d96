using System.Diagnostics;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using DurableWorkflows.Core.Contracts;
using static DurableWorkflows.Core.Telemetry.DwfTelemetry;

namespace DurableWorkflows.Orchestrations.WorkflowRuns;

/// <summary>
/// A workflow's metrics and spans, read from its status as it changes: each published status is compared with the one
/// before, and what ended in between is recorded (an action attempt, a handler, a service getting ready or being
/// removed, the workflow). Only when the orchestration is not replaying: a replay publishes the same statuses again
/// and counts nothing. Spans carry the times the status records (the orchestration's own clock), so they are made when
/// the step ends, with its start; they form one trace per workflow: the workflow's span (its id fixed by the workflow
/// id, so every episode on any node names the same parent) under the request that started it.
/// </summary>
internal sealed class WorkflowTelemetry
{
    private readonly WorkflowInput input;
    private readonly string name;

    /// <summary>The request that started the workflow, or default when it came with no trace.</summary>
    private readonly ActivityContext request;

    /// <summary>The workflow span's context: the request's trace (else one made from the workflow id) and a span id made from the workflow id.</summary>
    private readonly ActivityContext workflowSpan;
    private bool started;

    public WorkflowTelemetry(WorkflowInput input)
    {
        this.input = input;
        name = input.Definition.Name;
        request = ActivityContext.TryParse(input.TraceParent, null, out ActivityContext parsed) ? parsed : default;
        workflowSpan = SpanOf(input.WorkflowId, request);
    }

    /// <summary>What changed from <paramref name="before"/> (null: the first status) to <paramref name="after"/>.</summary>
    public void Observe(WorkflowStatus? before, WorkflowStatus after, bool replaying)
    {
        if (replaying)
        {
            started = true;
            return;
        }

        if (!started)
        {
            started = true;
            if (before is null)
            {
                WorkflowsStarted.Add(1, Template(name));
            }
        }

        ObserveActions(before, after);
        ObserveServices(before, after);
        if (after.State is not (WorkflowState.PENDING or WorkflowState.RUNNING) && before?.State is WorkflowState.PENDING or WorkflowState.RUNNING or null)
        {
            string state = after.State.ToString().ToLowerInvariant();
            WorkflowsFinished.Add(1, Template(name), Tag("state", state));
            DateTimeOffset start = after.CreatedAt ?? after.StartedAt ?? after.FinishedAt!.Value;
            DateTimeOffset end = after.FinishedAt ?? start;
            WorkflowDuration.Record((end - start).TotalSeconds, Template(name), Tag("state", state));
            EmitWorkflowSpan(start, end, state, after.Message);
        }
    }

    /// <summary>The cleanup, from its start to its end (the orchestration's clock).</summary>
    public void Cleanup(DateTimeOffset start, DateTimeOffset end, bool replaying)
    {
        if (!replaying)
        {
            Span("cleanup", start, end, null, []);
        }
    }

    private void ObserveActions(WorkflowStatus? before, WorkflowStatus after)
    {
        foreach (WorkflowTaskStatus task in after.Tasks)
        {
            WorkflowTaskStatus? was = before?.Tasks.FirstOrDefault(t => t.Name == task.Name);
            foreach (ActionStatus action in task.Actions)
            {
                ActionStatus? prior = was?.Actions.FirstOrDefault(a => a.Name == action.Name);
                if (prior is not null && action.Attempt > prior.Attempt && prior.Attempt > 0)
                {
                    ActionRetries.Add(1, Template(name));
                }

                bool ended = Outcome(action.State) is not null && action.StartedAt is not null
                    && (prior is null || prior.Attempt != action.Attempt || Outcome(prior.State) is null);
                if (ended)
                {
                    string outcome = Outcome(action.State)!;
                    DateTimeOffset end = action.FinishedAt ?? action.StartedAt!.Value;
                    ActionDuration.Record((end - action.StartedAt!.Value).TotalSeconds, Template(name), Tag("outcome", outcome));
                    Span($"action {task.Name}/{action.Name}", action.StartedAt!.Value, end, outcome == "success" ? null : action.Message,
                        [Tag("dwf.task", task.Name), Tag("dwf.action", action.Name), Tag("dwf.attempt", action.Attempt), Tag("dwf.outcome", outcome)]);
                }

                if (action.Handler is { StartedAt: { } hs } handler && prior?.Handler is null)
                {
                    Span($"handler {task.Name}/{action.Name} {handler.Kind}", hs, handler.FinishedAt ?? hs, handler.State == ActionState.SUCCESS ? null : handler.Message,
                        [Tag("dwf.task", task.Name), Tag("dwf.action", action.Name), Tag("dwf.outcome", Outcome(handler.State))]);
                }
            }
        }
    }

    private void ObserveServices(WorkflowStatus? before, WorkflowStatus after)
    {
        foreach (ServiceStatus service in after.Services)
        {
            ServiceStatus? prior = before?.Service(service.Name);
            if (service.Restarts > (prior?.Restarts ?? 0))
            {
                ServiceRestarts.Add(service.Restarts - (prior?.Restarts ?? 0), Template(name));
            }

            if (service is { ReadyAt: { } ready, StartedAt: { } start } && prior?.ReadyAt is null)
            {
                ServiceReadyDuration.Record((ready - start).TotalSeconds, Template(name));
                Span($"service {service.Name}", start, ready, null, [Tag("dwf.service", service.Name)]);
            }

            bool ended = service.State is ServiceState.REMOVED or ServiceState.FAILED && prior?.State is not (ServiceState.REMOVED or ServiceState.FAILED);
            if (ended && service.StartedAt is { } from)
            {
                string outcome = service.State == ServiceState.FAILED ? "failed" : "success";
                ServiceDuration.Record(((after.FinishedAt ?? from) - from).TotalSeconds, Template(name), Tag("outcome", outcome));
            }
        }
    }

    private static string? Outcome(ActionState state) => state switch
    {
        ActionState.SUCCESS => "success",
        ActionState.FAILED => "failed",
        ActionState.TIMEOUT => "timeout",
        ActionState.CANCELLED => "cancelled",
        _ => null,
    };

    private void Span(string spanName, DateTimeOffset start, DateTimeOffset end, string? error, KeyValuePair<string, object?>[] tags)
    {
        using Activity? span = Source.StartActivity(spanName, ActivityKind.Internal, workflowSpan, [Tag("dwf.workflow.id", input.WorkflowId), .. tags], startTime: start);
        Finish(span, end, error);
    }

    private void EmitWorkflowSpan(DateTimeOffset start, DateTimeOffset end, string state, string? message)
    {
        using Activity? span = request == default
            ? Source.StartActivity($"workflow {name}", ActivityKind.Internal, new ActivityContext(workflowSpan.TraceId, default, ActivityTraceFlags.Recorded), [], startTime: start)
            : Source.StartActivity($"workflow {name}", ActivityKind.Internal, request, [], startTime: start);
        if (span is null)
        {
            return;
        }

        SpanIds.Set(span, workflowSpan.SpanId);
        span.SetTag("dwf.workflow.id", input.WorkflowId);
        span.SetTag("dwf.workflow.name", name);
        span.SetTag("dwf.state", state);
        Finish(span, end, state == "success" ? null : message);
    }

    private static void Finish(Activity? span, DateTimeOffset end, string? error)
    {
        if (span is null)
        {
            return;
        }

        if (error is not null)
        {
            span.SetStatus(ActivityStatusCode.Error, error);
        }

        span.SetEndTime(end.UtcDateTime);
    }

    private static ActivityContext SpanOf(string workflowId, ActivityContext request)
    {
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes("dwf-workflow:" + workflowId));
        ActivityTraceId trace = request == default ? ActivityTraceId.CreateFromBytes(hash.AsSpan(0, 16)) : request.TraceId;
        return new ActivityContext(trace, ActivitySpanId.CreateFromBytes(hash.AsSpan(16, 8)), ActivityTraceFlags.Recorded);
    }

    /// <summary>
    /// Gives a span a chosen id, as the Durable Task SDK gives its orchestration spans theirs (System.Diagnostics has no
    /// public way): the workflow's span is made when it ends, but its children, made earlier, already name its id.
    /// </summary>
    private static class SpanIds
    {
        private static readonly FieldInfo? Field = typeof(Activity).GetField("_spanId", BindingFlags.NonPublic | BindingFlags.Instance);

        public static void Set(Activity span, ActivitySpanId id) => Field?.SetValue(span, id.ToHexString());
    }
}
