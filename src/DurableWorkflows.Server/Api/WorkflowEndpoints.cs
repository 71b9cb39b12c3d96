using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DurableWorkflows.Containers;
using DurableWorkflows.Core.Contracts;
using DurableWorkflows.Server.Workflows;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace DurableWorkflows.Server.Api;

/// <summary>The workflow and template routes of the HTTP API (docs/ARCHITECTURE.md, the HTTP API): minimal APIs, problem details for errors, 202 + Location + Retry-After while a workflow runs.</summary>
public static partial class WorkflowEndpoints
{
    /// <summary>Seconds a client should wait before polling a running workflow again.</summary>
    public const int RetryAfterSeconds = 2;

    /// <summary>The longest a status read waits for its workflow to finish (<c>?wait=</c>).</summary>
    public const int MaxWaitSeconds = 60;

    /// <summary>How often the event stream looks for new events.</summary>
    public static TimeSpan EventPollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    private const int DefaultPageSize = 50;
    private const int MaxPageSize = 1000;

    public static IEndpointRouteBuilder MapWorkflowRoutes(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/healthz", () => TypedResults.Ok(new { status = "ok" }));

        RouteGroupBuilder api = app.MapGroup("/api").AddEndpointFilter<BearerTokenFilter>();
        api.MapPost("/templates/validate", ValidateAsync);

        RouteGroupBuilder workflows = api.MapGroup("/workflows");
        workflows.MapPost("/", StartAsync);
        workflows.MapGet("/", ListAsync);
        workflows.MapGet("/{id}", GetAsync);
        workflows.MapDelete("/{id}", PurgeAsync);
        workflows.MapPost("/{id}/cancel", CancelAsync);
        workflows.MapPost("/{id}/terminate", TerminateAsync);
        workflows.MapGet("/{id}/events", EventsAsync);
        workflows.MapGet("/{id}/logs", LogsAsync);
        workflows.MapPost("/{id}/rerun", RerunAsync);
        workflows.MapGet("/{id}/origin", OriginAsync);
        return app;
    }

    /// <summary>The management URIs of a workflow, relative to <paramref name="baseUri"/> (scheme://host[:port]).</summary>
    public static WorkflowManagementUris ManagementUris(string baseUri, string id)
    {
        string self = $"{baseUri.TrimEnd('/')}/api/workflows/{Uri.EscapeDataString(id)}";
        return new WorkflowManagementUris(id, self, $"{self}/cancel", $"{self}/terminate", self, $"{self}/events", $"{self}/logs");
    }

    private static async Task<Results<Accepted<WorkflowManagementUris>, ProblemHttpResult>> StartAsync(
        [FromBody] StartWorkflowRequest? request,
        IWorkflowStarter starter,
        HttpContext http,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request?.Template))
        {
            return BadRequest("The body needs a 'template' (the workflow's YAML).");
        }

        if (NewId(request.Id) is not { } id)
        {
            return BadIdRequest(request.Id!);
        }

        if (!HardwareEndpoints.TryReadSource(request.Hardware, out HardwareSource? hardware, out ProblemHttpResult? hardwareProblem))
        {
            return hardwareProblem;
        }

        return StartResult(await starter.StartAsync(new WorkflowStartRequest(id, request.Template, request.Vars, hardware), cancellationToken), http);
    }

    /// <summary>The id a new workflow gets: the one asked for when it is valid (null when not), else a new UUID.</summary>
    private static string? NewId(string? requested) =>
        string.IsNullOrEmpty(requested) ? WorkflowManager.NewWorkflowId() : WorkflowIdPattern().IsMatch(requested) ? requested : null;

    private static ProblemHttpResult BadIdRequest(string id) =>
        BadRequest($"'{id}' is not a valid workflow id: use 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit.");

    /// <summary>202 with the new workflow's management URIs (Location: its status), or why it did not start.</summary>
    private static Results<Accepted<WorkflowManagementUris>, ProblemHttpResult> StartResult(WorkflowStartResult started, HttpContext http)
    {
        if (started.Outcome != WorkflowStartOutcome.Started)
        {
            return Problems.NotStarted(started);
        }

        WorkflowManagementUris uris = ManagementUris($"{http.Request.Scheme}://{http.Request.Host}", started.WorkflowId);
        http.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Accepted(uris.StatusQueryGetUri, uris);
    }

    private static async Task<Results<Ok<JsonObject>, Accepted<JsonObject>, ProblemHttpResult>> GetAsync(
        string id,
        string? wait,
        WorkflowManager manager,
        WorkflowReruns reruns,
        HttpContext http,
        CancellationToken cancellationToken)
    {
        // ?wait=S: answer once the workflow has finished, or after S seconds (at most MaxWaitSeconds) as it is then.
        double seconds = 0;
        if (wait is not null && (!double.TryParse(wait, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out seconds)
                                 || !(seconds >= 0 && seconds <= MaxWaitSeconds)))
        {
            return BadRequest($"'wait' is how many seconds to wait for the workflow to finish, from 0 to {MaxWaitSeconds}; got '{wait}'.");
        }

        WorkflowSnapshot? snapshot = await manager.WaitAsync(id, TimeSpan.FromSeconds(seconds), cancellationToken);
        if (snapshot is null)
        {
            return NotFound(id);
        }

        JsonObject json = snapshot.ToJson();
        if (snapshot.IsFinished)
        {
            // Only a final status lists the re-runs: a running one's is what every client polls, and the lookup
            // would cost each poll a query of the task hub (GET .../origin lists them at any time).
            json["reruns"] = new JsonArray([.. (await reruns.RerunsAsync(id, cancellationToken)).Select(r => JsonValue.Create(r))]);
            return TypedResults.Ok(json);
        }

        http.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Accepted(http.Request.Path.ToString(), json);
    }

    private static async Task<Results<Ok<WorkflowList>, ProblemHttpResult>> ListAsync(
        WorkflowManager manager,
        string? state,
        int? top,
        string? continuationToken,
        string? name,
        DateTimeOffset? createdFrom,
        DateTimeOffset? createdTo,
        CancellationToken cancellationToken)
    {
        var states = new List<WorkflowState>();
        foreach (string stateName in (state ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Enum.TryParse(stateName, ignoreCase: true, out WorkflowState parsed) || !Enum.IsDefined(parsed))
            {
                return BadRequest($"Unknown state '{stateName}': use {string.Join(", ", Enum.GetNames<WorkflowState>())}.");
            }

            states.Add(parsed);
        }

        int pageSize = top ?? DefaultPageSize;
        if (pageSize is < 1 or > MaxPageSize)
        {
            return BadRequest($"'top' must be between 1 and {MaxPageSize}.");
        }

        if (createdFrom > createdTo)
        {
            return BadRequest("'createdFrom' is after 'createdTo'.");
        }

        var filter = new WorkflowFilter(states, name, createdFrom, createdTo);
        WorkflowPage page = await manager.ListAsync(filter, pageSize, continuationToken, cancellationToken);
        return TypedResults.Ok(new WorkflowList([.. page.Workflows.Select(WorkflowSummary.Of)], page.ContinuationToken));
    }

    private static async Task<Results<Accepted, ProblemHttpResult>> CancelAsync(
        string id,
        [FromBody] StopWorkflowRequest? request,
        WorkflowManager manager,
        HttpContext http,
        CancellationToken cancellationToken) =>
        StopResult(id, await manager.CancelAsync(id, request?.Reason, cancellationToken), http);

    private static async Task<Results<Accepted, ProblemHttpResult>> TerminateAsync(
        string id,
        [FromBody] StopWorkflowRequest? request,
        WorkflowManager manager,
        HttpContext http,
        CancellationToken cancellationToken) =>
        StopResult(id, await manager.TerminateAsync(id, request?.Reason, cancellationToken), http);

    private static async Task<Results<NoContent, ProblemHttpResult>> PurgeAsync(
        string id,
        WorkflowManager manager,
        WorkflowReruns reruns,
        CancellationToken cancellationToken)
    {
        string? rerunOf = (await reruns.InputAsync(id, cancellationToken))?.Origin?.RerunOf;
        switch (await manager.PurgeAsync(id, cancellationToken))
        {
            case WorkflowRequestResult.Accepted:
                await reruns.ForgetAsync(id, rerunOf, cancellationToken);
                return TypedResults.NoContent();
            case WorkflowRequestResult.StillRunning:
                return Problems.Conflict($"Workflow '{id}' is still running: cancel or terminate it before purging its history.");
            default:
                return NotFound(id);
        }
    }

    private static async Task<IResult> EventsAsync(
        string id,
        long? after,
        WorkflowManager manager,
        HttpContext http,
        CancellationToken cancellationToken)
    {
        WorkflowSnapshot? snapshot = await manager.GetAsync(id, cancellationToken);
        if (snapshot is null)
        {
            return NotFound(id);
        }

        long from = after ?? (long.TryParse(http.Request.Headers["Last-Event-ID"], out long last) ? last : 0);
        bool stream = http.Request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/event-stream", StringComparison.OrdinalIgnoreCase));
        if (!stream)
        {
            return TypedResults.Ok(WorkflowEvents.After(snapshot.Status, from));
        }

        return TypedResults.ServerSentEvents(StreamEvents(manager, snapshot, from, cancellationToken));
    }

    private static async IAsyncEnumerable<SseItem<WorkflowEvent>> StreamEvents(
        WorkflowManager manager,
        WorkflowSnapshot snapshot,
        long after,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        WorkflowSnapshot? current = snapshot;
        while (current is not null)
        {
            foreach (WorkflowEvent e in WorkflowEvents.After(current.Status, after))
            {
                after = e.Sequence;
                yield return new SseItem<WorkflowEvent>(e, e.Kind.ToString()) { EventId = e.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture) };
            }

            if (current.IsFinished)
            {
                yield break;
            }

            await Task.Delay(EventPollInterval, cancellationToken);
            current = await manager.GetAsync(current.Status.Id, cancellationToken);
        }
    }

    private static async Task<Results<Ok<IReadOnlyList<ContainerLogEntry>>, ProblemHttpResult>> LogsAsync(
        string id,
        string? task,
        string? action,
        string? service,
        WorkflowManager manager,
        ContainerEngine engine,
        CancellationToken cancellationToken)
    {
        if ((task is null) != (action is null))
        {
            return BadRequest("Give both 'task' and 'action', or 'service', or neither (every log).");
        }

        if (task is not null && service is not null)
        {
            return BadRequest("Give either 'task' and 'action', or 'service'.");
        }

        if (await manager.GetAsync(id, cancellationToken) is null)
        {
            return NotFound(id);
        }

        // Live from Docker while a container exists, else the copy kept when it was removed.
        IReadOnlyList<ContainerLog> found = await engine.GetLogsAsync(id, task, action, service, cancellationToken);
        return TypedResults.Ok<IReadOnlyList<ContainerLogEntry>>([.. found.Select(l => new ContainerLogEntry(l.ContainerName, l.Text))]);
    }

    private static async Task<Results<Ok<TemplateSummary>, ProblemHttpResult>> ValidateAsync(
        [FromBody] ValidateTemplateRequest? request,
        IWorkflowStarter starter,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request?.Template))
        {
            return BadRequest("The body needs a 'template' (the workflow's YAML).");
        }

        if (!HardwareEndpoints.TryReadSource(request.Hardware, out HardwareSource? hardware, out ProblemHttpResult? hardwareProblem))
        {
            return hardwareProblem;
        }

        WorkflowStartResult prepared = await starter.PrepareAsync(new WorkflowStartRequest("validate", request.Template, request.Vars, hardware), cancellationToken);
        if (prepared.Input is not { Definition: var definition })
        {
            return Problems.NotStarted(prepared);
        }

        return TypedResults.Ok(new TemplateSummary(
            true,
            definition.Name,
            [.. definition.Services.Select(s => s.Name)],
            [.. definition.Tasks.Select(t => t.Name)]));
    }

    private static Results<Accepted, ProblemHttpResult> StopResult(string id, WorkflowRequestResult result, HttpContext http) => result switch
    {
        WorkflowRequestResult.Accepted => TypedResults.Accepted($"/api/workflows/{Uri.EscapeDataString(id)}"),
        WorkflowRequestResult.AlreadyFinished => Problems.Gone($"Workflow '{id}' has already finished.", http.Request.Path),
        _ => NotFound(id),
    };

    private static ProblemHttpResult BadRequest(string detail) => Problems.BadRequest(detail);

    private static ProblemHttpResult NotFound(string id) => Problems.NotFound($"No workflow has id '{id}'.");

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")]
    private static partial Regex WorkflowIdPattern();
}
