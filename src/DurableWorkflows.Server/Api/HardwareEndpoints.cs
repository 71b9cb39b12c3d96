using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;
using DurableWorkflows.Core.Contracts;
using DurableWorkflows.Core.Hardware;
using DurableWorkflows.GoTemplates;
using DurableWorkflows.Server.Hardware;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DurableWorkflows.Server.Api;

/// <summary>
/// The hardware inventory routes: <c>PUT|GET|DELETE /api/hardware/{name}</c>, <c>GET /api/hardware</c>. A record is
/// Tinkerbell's Hardware object (YAML or JSON, with or without its wrapper, or its spec alone); GET answers with the
/// whole object in tink's JSON keys, named as the route. A wrapper whose <c>metadata.name</c> differs from the route
/// is refused (400), so a record is never stored under a name it does not carry.
/// </summary>
public static class HardwareEndpoints
{
    public static IEndpointRouteBuilder MapHardwareApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        RouteGroupBuilder hardware = app.MapGroup("/api/hardware").AddEndpointFilter<BearerTokenFilter>();
        hardware.MapPut("/{name}", PutAsync);
        hardware.MapGet("/", ListAsync);
        hardware.MapGet("/{name}", GetAsync);
        hardware.MapDelete("/{name}", DeleteAsync);
        return app;
    }

    /// <summary>
    /// A start's <c>hardware</c>: absent, the name of a stored record (a string) or a Hardware object; anything else is a
    /// 400. What it names is resolved, read and checked by the <see cref="IWorkflowStarter"/>.
    /// </summary>
    internal static bool TryReadSource(JsonElement? hardware, out HardwareSource? source, [NotNullWhen(false)] out ProblemHttpResult? problem)
    {
        (source, problem) = hardware?.ValueKind switch
        {
            null or JsonValueKind.Undefined or JsonValueKind.Null => ((HardwareSource?)null, (ProblemHttpResult?)null),
            JsonValueKind.String => (HardwareSource.Stored(hardware.Value.GetString()!), null),
            JsonValueKind.Object => (HardwareSource.Inline(hardware.Value.GetRawText()), null),
            _ => (null, BadRequest("'hardware' is the name of a stored hardware record (a string) or a Hardware object.")),
        };
        return problem is null;
    }

    private static async Task<Results<Created<JsonObject>, Ok<JsonObject>, ProblemHttpResult>> PutAsync(
        string name,
        HttpRequest request,
        IHardwareInventory inventory,
        CancellationToken cancellationToken)
    {
        if (HardwareNames.Validate(name) is { } nameError)
        {
            return BadRequest(nameError + ".");
        }

        string text;
        using (var reader = new StreamReader(request.Body))
        {
            text = await reader.ReadToEndAsync(cancellationToken);
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            return BadRequest("The body is a Hardware record (YAML or JSON): Tinkerbell's Hardware object or its spec.");
        }

        HardwareParseResult parsed = HardwareRecord.Parse(text);
        if (!parsed.Succeeded)
        {
            return RecordProblem(parsed.Errors);
        }

        HardwareRecord record = parsed.Record!;
        if (record.Name is { } own && own != name)
        {
            return RecordProblem([new TemplateError(
                record.NameLocation ?? new SourceLocation(1, 1),
                $"metadata.name is '{own}' but the record is put as '{name}': make them the same, or leave metadata.name out")]);
        }

        bool created = await inventory.PutAsync(new StoredRecord(name, text, TimeProvider.System.GetUtcNow()), cancellationToken);
        JsonObject body = record.ToJson(name);
        return created ? TypedResults.Created($"/api/hardware/{Uri.EscapeDataString(name)}", body) : TypedResults.Ok(body);
    }

    private static async Task<Results<Ok<JsonObject>, ProblemHttpResult>> GetAsync(
        string name, IHardwareInventory inventory, CancellationToken cancellationToken)
    {
        if (HardwareNames.Validate(name) is { } nameError)
        {
            return BadRequest(nameError + ".");
        }

        if (await inventory.GetAsync(name, cancellationToken) is not { } entry)
        {
            return NotFound(name);
        }

        return TypedResults.Ok(Stored(entry).ToJson(name));
    }

    private static async Task<Ok<HardwareList>> ListAsync(IHardwareInventory inventory, CancellationToken cancellationToken)
    {
        var rows = new List<HardwareSummary>();
        foreach (StoredRecord entry in await inventory.ListAsync(cancellationToken))
        {
            HardwareRecord record = Stored(entry);
            rows.Add(new HardwareSummary(entry.Name, record.DockerEndpoint, record.Macs, [.. record.Spec.Disks.Select(d => d.Device)], entry.UpdatedAt, record.Spec.AgentID));
        }

        return TypedResults.Ok(new HardwareList(rows));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        string name, IHardwareInventory inventory, CancellationToken cancellationToken)
    {
        if (HardwareNames.Validate(name) is { } nameError)
        {
            return BadRequest(nameError + ".");
        }

        return await inventory.DeleteAsync(name, cancellationToken) ? TypedResults.NoContent() : NotFound(name);
    }

    /// <summary>A stored record, read again (it was valid when it was put).</summary>
    private static HardwareRecord Stored(StoredRecord entry)
    {
        HardwareParseResult parsed = HardwareRecord.Parse(entry.Text);
        return parsed.Record ?? throw new InvalidOperationException(
            $"The stored hardware record '{entry.Name}' no longer reads: {string.Join("; ", parsed.Errors)}");
    }

    private static ProblemHttpResult RecordProblem(IReadOnlyList<TemplateError> errors) => Problems.InvalidHardware(errors);

    private static ProblemHttpResult BadRequest(string detail) => Problems.BadRequest(detail);

    private static ProblemHttpResult NotFound(string name) => Problems.NotFound($"No hardware record named '{name}'.");
}
