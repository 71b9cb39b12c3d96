using DurableWorkflows.Core.Contracts;
using DurableWorkflows.Core.Templates;
using DurableWorkflows.GoTemplates;
using DurableWorkflows.Server.Hardware;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DurableWorkflows.Server.Api;

/// <summary>
/// The stored templates: <c>PUT|GET|DELETE /api/templates/{name}</c>, <c>GET /api/templates</c>. What a Workflow
/// object's <c>templateRef</c> names. The body is the template's YAML, or Tinkerbell's Template object (its
/// <c>spec.data</c> holds it; a <c>metadata.name</c> that differs from the route is refused). The template itself is
/// rendered and checked when a workflow runs it with its variables, as tink does (<c>POST /api/templates/validate</c> checks it sooner).
/// </summary>
public static class TemplateEndpoints
{
    public static IEndpointRouteBuilder MapTemplateApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        RouteGroupBuilder templates = app.MapGroup("/api/templates").AddEndpointFilter<BearerTokenFilter>();
        templates.MapPut("/{name}", PutAsync);
        templates.MapGet("/", ListAsync);
        templates.MapGet("/{name}", GetAsync);
        templates.MapDelete("/{name}", DeleteAsync);
        return app;
    }

    private static async Task<Results<Created<StoredTemplate>, Ok<StoredTemplate>, ProblemHttpResult>> PutAsync(
        string name, HttpRequest request, ITemplateStore store, CancellationToken cancellationToken)
    {
        if (TemplateNames.Validate(name) is { } nameError)
        {
            return Problems.BadRequest(nameError + ".");
        }

        string text;
        using (var reader = new StreamReader(request.Body))
        {
            text = await reader.ReadToEndAsync(cancellationToken);
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            return Problems.BadRequest("The body is a template (its YAML) or Tinkerbell's Template object.");
        }

        if (TinkObjects.Read(text) is { } tink)
        {
            if (tink.Errors.Count > 0)
            {
                return Problems.InvalidTemplate(tink.Errors);
            }

            if (tink.Template is null || tink.IsWorkflow)
            {
                return Problems.InvalidTemplate([new TemplateError(new SourceLocation(1, 1), "a stored template is a template or one Template object, not a Workflow")]);
            }

            if (tink.TemplateName is { } own && own != name)
            {
                return Problems.InvalidTemplate([new TemplateError(new SourceLocation(1, 1),
                    $"metadata.name is '{own}' but the template is put as '{name}': make them the same, or leave metadata.name out")]);
            }
        }

        var entry = new StoredRecord(name, text, TimeProvider.System.GetUtcNow());
        bool created = await store.PutAsync(entry, cancellationToken);
        var body = new StoredTemplate(name, text, entry.UpdatedAt);
        return created ? TypedResults.Created($"/api/templates/{Uri.EscapeDataString(name)}", body) : TypedResults.Ok(body);
    }

    private static async Task<Results<Ok<StoredTemplate>, ProblemHttpResult>> GetAsync(string name, ITemplateStore store, CancellationToken cancellationToken)
    {
        if (TemplateNames.Validate(name) is { } nameError)
        {
            return Problems.BadRequest(nameError + ".");
        }

        return await store.GetAsync(name, cancellationToken) is { } entry
            ? TypedResults.Ok(new StoredTemplate(entry.Name, entry.Text, entry.UpdatedAt))
            : Problems.NotFound($"No template named '{name}'.");
    }

    private static async Task<Ok<TemplateList>> ListAsync(ITemplateStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(new TemplateList([.. (await store.ListAsync(cancellationToken)).Select(e => new StoredTemplateSummary(e.Name, e.UpdatedAt))]));

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string name, ITemplateStore store, CancellationToken cancellationToken)
    {
        if (TemplateNames.Validate(name) is { } nameError)
        {
            return Problems.BadRequest(nameError + ".");
        }

        return await store.DeleteAsync(name, cancellationToken) ? TypedResults.NoContent() : Problems.NotFound($"No template named '{name}'.");
    }
}
