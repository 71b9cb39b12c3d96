using DurableWorkflows.GoTemplates;
namespace DurableWorkflows.Core.Templates;

/// <summary>The outcome of loading a template: a definition, or every error found (each with its line:column).</summary>
/// <param name="RenderedText">The template after rendering, when rendering succeeded.</param>
public sealed record TemplateLoadResult(WorkflowDefinition? Definition, IReadOnlyList<TemplateError> Errors, string? RenderedText)
{
    public bool IsValid => Definition is not null && Errors.Count == 0;
}

/// <summary>The one entry point of the template language: render, parse, bind and validate.</summary>
public static class WorkflowTemplate
{
    /// <summary>Loads a template. Never throws for any input text: the result holds a definition or at least one error.</summary>
    public static TemplateLoadResult Load(string text, TemplateData data)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(data);
        try
        {
            RenderResult rendered = TemplateRenderer.Render(text, data);
            if (!rendered.Succeeded)
            {
                return new TemplateLoadResult(null, Sorted(rendered.Errors, "the template could not be rendered"), null);
            }

            string renderedText = rendered.Text!;
            SourceMap map = rendered.Map ?? SourceMap.Identity(renderedText);
            var errors = new List<TemplateError>();
            YamlTreeNode? root = YamlTreeReader.Read(renderedText, map, errors);
            if (errors.Count > 0)
            {
                return new TemplateLoadResult(null, Sorted(errors, "the template is not valid YAML"), renderedText);
            }

            WorkflowDefinition? definition = TemplateBinder.Bind(root, errors);
            return definition is not null && errors.Count == 0
                ? new TemplateLoadResult(definition, [], renderedText)
                : new TemplateLoadResult(null, Sorted(errors, "the template is not valid"), renderedText);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new TemplateLoadResult(null, [new TemplateError(new SourceLocation(1, 1), $"the template could not be read: {OneLine(e.Message)}")], null);
        }
    }

    /// <summary>
    /// Errors in document order, each message on one line (a value it quotes may hold line breaks or control
    /// characters: they are escaped, so <c>LINE:COL: message</c> stays one line); never empty (a failure without a
    /// message would be a bug, so say so).
    /// </summary>
    private static List<TemplateError> Sorted(IEnumerable<TemplateError> errors, string fallback)
    {
        var list = errors
            .Select((e, i) => (e, i))
            .OrderBy(x => x.e.Location.Line).ThenBy(x => x.e.Location.Column).ThenBy(x => x.i)
            .Select(x => x.e with { Message = OneLine(x.e.Message) })
            .ToList();
        if (list.Count == 0)
        {
            list.Add(new TemplateError(new SourceLocation(1, 1), fallback));
        }

        return list;
    }

    /// <summary>The text with line breaks, tabs and other control characters escaped as C# writes them.</summary>
    internal static string OneLine(string message)
    {
        if (!message.Any(IsControl))
        {
            return message;
        }

        var sb = new System.Text.StringBuilder(message.Length + 8);
        foreach (char c in message)
        {
            sb.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when IsControl(c) => $"\\u{(int)c:X4}",
                _ => c.ToString(),
            });
        }

        return sb.ToString();
    }

    private static bool IsControl(char c) => char.IsControl(c) || c is '\u2028' or '\u2029';
}
