namespace DurableWorkflows.Core.Templates;

/// <summary>What a template may read while it is rendered.</summary>
/// <param name="Variables">The user's variables (<c>--var K=V</c>, the API's <c>vars</c>).</param>
/// <param name="WorkflowId">The built-in <c>workflowid</c>.</param>
public sealed record TemplateData(IReadOnlyDictionary<string, string> Variables, string WorkflowId);

/// <summary>The rendered text, or the errors that stopped rendering.</summary>
public sealed record RenderResult(string? Text, IReadOnlyList<TemplateError> Errors)
{
    public bool Succeeded => Text is not null && Errors.Count == 0;
}

/// <summary>Renders template actions (<c>{{ ... }}</c>) before the YAML is parsed, as Tinkerbell does.</summary>
public static class TemplateRenderer
{
    public static RenderResult Render(string text, TemplateData data)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(data);
        throw new NotImplementedException("the renderer lands with issue 2");
    }
}
