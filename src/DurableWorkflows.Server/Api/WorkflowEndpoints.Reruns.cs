using System.Text.Json.Nodes;
using DurableWorkflows.Core.Contracts;
using DurableWorkflows.Server.Workflows;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace DurableWorkflows.Server.Api;

/// <summary>Re-running a workflow, and what it was made from.</summary>
public static partial class WorkflowEndpoints
{
    /// <summary><c>POST /api/workflows/{id}/rerun</c>: a new workflow (the body's <c>id</c>, else a new UUID) from this one's rendered template, variables and hardware.</summary>
    private static async Task<Results<Accepted<WorkflowManagementUris>, ProblemHttpResult>> RerunAsync(
        string id,
        [FromBody] RerunWorkflowRequest? request,
        WorkflowReruns reruns,
        HttpContext http,
        CancellationToken cancellationToken)
    {
        if (NewId(request?.Id) is not { } newId)
        {
            return BadIdRequest(request!.Id!);
        }

        return StartResult(await reruns.RerunAsync(id, newId, cancellationToken), http);
    }

    /// <summary><c>GET /api/workflows/{id}/origin</c>: the rendered template, the variables, the Hardware record, the workflow it re-runs and its re-runs.</summary>
    private static async Task<Results<Ok<WorkflowOriginView>, ProblemHttpResult>> OriginAsync(
        string id,
        WorkflowReruns reruns,
        CancellationToken cancellationToken)
    {
        if (await reruns.GetAsync(id, cancellationToken) is not var (input, ids))
        {
            return NotFound(id);
        }

        WorkflowOrigin origin = input.Origin ?? new WorkflowOrigin(null, null, null);
        JsonNode? hardware = origin.Hardware is null ? null : JsonNode.Parse(origin.Hardware);
        return TypedResults.Ok(new WorkflowOriginView(id, input.Definition.Name, input.Definition, origin.RenderedTemplate, origin.Vars ?? new Dictionary<string, string>(), hardware, origin.RerunOf, ids));
    }
}
