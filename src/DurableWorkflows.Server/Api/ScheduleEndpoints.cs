using DurableWorkflows.Core.Contracts;
using DurableWorkflows.Core.Scheduling;
using DurableWorkflows.Server.Schedules;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace DurableWorkflows.Server.Api;

/// <summary>The schedule routes of the HTTP API (README, Schedules).</summary>
public static class ScheduleEndpoints
{
    public static IEndpointRouteBuilder MapScheduleApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        RouteGroupBuilder schedules = app.MapGroup("/api/schedules").AddEndpointFilter<BearerTokenFilter>();
        schedules.MapPost("/", CreateAsync);
        schedules.MapGet("/", ListAsync);
        schedules.MapGet("/{name}", GetAsync);
        schedules.MapPut("/{name}", UpdateAsync);
        schedules.MapDelete("/{name}", DeleteAsync);
        schedules.MapPost("/{name}/pause", (string name, ScheduleClient client, CancellationToken ct) => CommandAsync(name, client.PauseAsync, ct));
        schedules.MapPost("/{name}/resume", (string name, ScheduleClient client, CancellationToken ct) => CommandAsync(name, client.ResumeAsync, ct));
        schedules.MapPost("/{name}/run-now", (string name, ScheduleClient client, CancellationToken ct) => CommandAsync(name, client.RunNowAsync, ct));
        return app;
    }

    private static async Task<Results<Created<ScheduleStatus>, ProblemHttpResult>> CreateAsync(
        [FromBody] CreateScheduleRequest? request,
        ScheduleClient client,
        CancellationToken cancellationToken)
    {
        if (request is null)
        {
            return Problem(StatusCodes.Status400BadRequest, "Bad request", "The body needs 'name', 'cron' and 'template'.");
        }

        ScheduleOverlap overlap = ScheduleOverlap.Skip;
        if (!string.IsNullOrEmpty(request.Overlap) && !TryParseOverlap(request.Overlap, out overlap))
        {
            return InvalidOverlap(request.Overlap);
        }

        if (!TryReadHardware(request.Hardware, out string? hardware))
        {
            return InvalidHardware();
        }

        var spec = new ScheduleSpec(request.Name ?? "", request.Cron ?? "", request.TimeZone, overlap, request.Template ?? "", request.Vars ?? [], hardware);
        ScheduleResult result = await client.CreateAsync(spec, cancellationToken);
        return result.Outcome switch
        {
            ScheduleOutcome.Ok => TypedResults.Created(Location(spec.Name), result.Schedule!),
            ScheduleOutcome.Conflict => Problem(StatusCodes.Status409Conflict, "Conflict", $"A schedule named '{spec.Name}' already exists."),
            _ => Invalid(result.Errors),
        };
    }

    private static async Task<Results<Accepted<ScheduleStatus>, ProblemHttpResult>> UpdateAsync(
        string name,
        [FromBody] CreateScheduleRequest? request,
        ScheduleClient client,
        CancellationToken cancellationToken)
    {
        if (request is null)
        {
            return Problem(StatusCodes.Status400BadRequest, "Bad request", "The body needs at least one of 'cron', 'timeZone', 'overlap', 'template', 'vars', 'hardware'.");
        }

        if (request.Name is not null && request.Name != name)
        {
            return Invalid([$"name '{request.Name}' is not the schedule's ('{name}'): a schedule cannot be renamed; create a new one"]);
        }

        ScheduleOverlap? overlap = null;
        if (request.Overlap is not null)
        {
            if (!TryParseOverlap(request.Overlap, out var parsed))
            {
                return InvalidOverlap(request.Overlap);
            }

            overlap = parsed;
        }

        if (!TryReadHardware(request.Hardware, out string? hardware))
        {
            return InvalidHardware();
        }

        var change = new ScheduleChange(request.Cron, request.TimeZone, overlap, request.Template, request.Vars, hardware);
        if (change.IsEmpty)
        {
            return Invalid(["nothing to change: give at least one of cron, timeZone, overlap, template, vars, hardware"]);
        }

        ScheduleResult result = await client.UpdateAsync(name, change, cancellationToken);
        return result.Outcome switch
        {
            ScheduleOutcome.Ok => TypedResults.Accepted(Location(name), result.Schedule!),
            ScheduleOutcome.NotFound => NotFound(name),
            ScheduleOutcome.Conflict => Problem(StatusCodes.Status409Conflict, "Conflict", string.Join("\n", result.Errors ?? []), result.Errors),
            _ => Invalid(result.Errors),
        };
    }

    /// <summary>The Hardware object of a request as JSON text (null when there is none); false when it is not an object.</summary>
    private static bool TryReadHardware(System.Text.Json.JsonElement? element, out string? hardware)
    {
        hardware = element?.ValueKind is System.Text.Json.JsonValueKind.Object ? element.Value.GetRawText() : null;
        return hardware is not null || element?.ValueKind is null or System.Text.Json.JsonValueKind.Null or System.Text.Json.JsonValueKind.Undefined;
    }

    private static ProblemHttpResult InvalidHardware() => Problem(
        StatusCodes.Status400BadRequest,
        "Invalid schedule",
        "'hardware' of a schedule is a Hardware object (the schedule keeps its own copy).",
        ["hardware: expected a Hardware object"]);

    /// <summary><c>skip</c> or <c>allow</c>, in any case.</summary>
    public static bool TryParseOverlap(string text, out ScheduleOverlap overlap)
    {
        ArgumentNullException.ThrowIfNull(text);
        switch (text.Trim().ToUpperInvariant())
        {
            case "SKIP":
                overlap = ScheduleOverlap.Skip;
                return true;
            case "ALLOW":
                overlap = ScheduleOverlap.Allow;
                return true;
            default:
                overlap = ScheduleOverlap.Skip;
                return false;
        }
    }

    private static async Task<Ok<ScheduleList>> ListAsync(ScheduleClient client, CancellationToken cancellationToken) =>
        TypedResults.Ok(new ScheduleList(await client.ListAsync(cancellationToken)));

    private static async Task<Results<Ok<ScheduleStatus>, ProblemHttpResult>> GetAsync(
        string name, ScheduleClient client, CancellationToken cancellationToken)
    {
        ScheduleStatus? status = await client.GetAsync(name, cancellationToken);
        return status is null ? NotFound(name) : TypedResults.Ok(status);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        string name, ScheduleClient client, CancellationToken cancellationToken)
    {
        ScheduleResult result = await client.DeleteAsync(name, cancellationToken);
        return result.Outcome == ScheduleOutcome.Ok ? TypedResults.NoContent() : NotFound(name);
    }

    private static async Task<Results<Accepted<ScheduleStatus>, ProblemHttpResult>> CommandAsync(
        string name, Func<string, CancellationToken, Task<ScheduleResult>> command, CancellationToken cancellationToken)
    {
        ScheduleResult result = await command(name, cancellationToken);
        return result.Outcome == ScheduleOutcome.Ok
            ? TypedResults.Accepted(Location(name), result.Schedule!)
            : NotFound(name);
    }

    private static string Location(string name) => $"/api/schedules/{Uri.EscapeDataString(name)}";

    private static ProblemHttpResult InvalidOverlap(string overlap) => Invalid([$"overlap '{overlap}' is not one of skip, allow"]);

    private static ProblemHttpResult Invalid(IReadOnlyList<string>? errors) =>
        Problem(StatusCodes.Status400BadRequest, "Invalid schedule", string.Join("\n", errors ?? []), errors);

    private static ProblemHttpResult NotFound(string name) => Problem(
        StatusCodes.Status404NotFound,
        "Not found",
        ScheduleNames.Validate(name) is { } error ? $"No schedule named '{name}': {error}." : $"No schedule named '{name}'.");

    private static ProblemHttpResult Problem(int status, string title, string detail, IReadOnlyList<string>? errors = null) =>
        Problems.Of(status, title, detail, errors);
}
