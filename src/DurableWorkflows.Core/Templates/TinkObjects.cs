using System.Text.RegularExpressions;
using DurableWorkflows.GoTemplates;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace DurableWorkflows.Core.Templates;

/// <summary>
/// What a file of Tinkerbell's objects (<c>tinkerbell.org/v1alpha1</c>, one or more YAML documents) asks to start:
/// a <c>Template</c> (its <c>spec.data</c>), a <c>Workflow</c> (<c>templateRef</c>, <c>hardwareRef</c>,
/// <c>hardwareMap</c>), and the <c>Hardware</c> beside them.
/// </summary>
/// <param name="Template">The template's text (a Template object's <c>spec.data</c>), when the file has one.</param>
/// <param name="TemplateAt">Where that text starts in the file, to put its errors at the file's line:column.</param>
/// <param name="TemplateName">The Template object's <c>metadata.name</c>.</param>
/// <param name="TemplateRef">The Workflow's <c>spec.templateRef</c>: the stored template it runs when the file has none of that name.</param>
/// <param name="HardwareRef">The Workflow's <c>spec.hardwareRef</c>.</param>
/// <param name="Hardware">A Hardware object's text in the same file, when there is one.</param>
/// <param name="HardwareMap">The Workflow's <c>spec.hardwareMap</c>: the template's variables (<c>device_1: MAC</c>).</param>
public sealed partial record TinkObjects(
    string? Template,
    TemplateOffset TemplateAt,
    string? TemplateName,
    string? TemplateRef,
    string? HardwareRef,
    string? Hardware,
    IReadOnlyDictionary<string, string> HardwareMap,
    IReadOnlyList<TemplateError> Errors)
{
    public bool IsWorkflow => TemplateRef is not null;

    /// <summary>Null when <paramref name="text"/> is no Tinkerbell object (a template as it is); else what it holds, or its errors.</summary>
    public static TinkObjects? Read(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!KindLine().IsMatch(text))
        {
            return null;
        }

        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            return Failed(new TemplateError(new SourceLocation((int)e.Start.Line, (int)e.Start.Column), e.Message.Split('\n')[0]));
        }

        var reader = new Reader(text);
        foreach (YamlDocument document in stream.Documents)
        {
            reader.Document(document.RootNode);
        }

        return reader.Result();
    }

    private static TinkObjects Failed(params TemplateError[] errors) =>
        new(null, default, null, null, null, null, new Dictionary<string, string>(), errors);

    [GeneratedRegex(@"^kind:[ \t]*[""']?(Template|Workflow|Hardware)[""']?[ \t]*(#.*)?$", RegexOptions.Multiline)]
    private static partial Regex KindLine();

    private sealed class Reader(string text)
    {
        private readonly List<TemplateError> errors = [];
        private readonly Dictionary<string, string> hardwareMap = new(StringComparer.Ordinal);
        private string? template;
        private TemplateOffset templateAt;
        private string? templateName;
        private string? templateRef;
        private string? hardwareRef;
        private string? hardware;

        public void Document(YamlNode root)
        {
            if (root is not YamlMappingNode map || Scalar(map, "kind") is not { } kind)
            {
                errors.Add(Error(root, "expected a Tinkerbell object (apiVersion: tinkerbell.org/v1alpha1, kind: Template, Workflow or Hardware)"));
                return;
            }

            YamlMappingNode? spec = Child(map, "spec") as YamlMappingNode;
            switch (kind)
            {
                case "Template":
                    ReadTemplate(map, spec);
                    break;
                case "Workflow":
                    ReadWorkflow(map, spec);
                    break;
                case "Hardware":
                    hardware = Text(root);
                    break;
                default:
                    errors.Add(Error(Child(map, "kind")!, $"kind '{kind}' is not one this takes (Template, Workflow, Hardware)"));
                    break;
            }
        }

        public TinkObjects Result()
        {
            if (errors.Count == 0 && template is null && templateRef is null)
            {
                errors.Add(new TemplateError(new SourceLocation(1, 1), "the file has a Hardware object but no Template or Workflow to run"));
            }

            return new TinkObjects(template, templateAt, templateName, templateRef, hardwareRef, hardware, hardwareMap, errors);
        }

        private void ReadTemplate(YamlMappingNode map, YamlMappingNode? spec)
        {
            if (template is not null)
            {
                errors.Add(Error(map, "one Template object per file"));
                return;
            }

            templateName = Child(map, "metadata") is YamlMappingNode metadata ? Scalar(metadata, "name") : null;
            if (spec is null || Child(spec, "data") is not YamlScalarNode data)
            {
                errors.Add(Error(spec ?? (YamlNode)map, "a Template object's spec.data holds the template (a string, e.g. data: |)"));
                return;
            }

            template = data.Value ?? "";
            templateAt = TemplateOffset.Of(data, text);
        }

        private void ReadWorkflow(YamlMappingNode map, YamlMappingNode? spec)
        {
            if (templateRef is not null)
            {
                errors.Add(Error(map, "one Workflow object per file"));
                return;
            }

            if (spec is null || Scalar(spec, "templateRef") is not { Length: > 0 } reference)
            {
                errors.Add(Error(spec ?? (YamlNode)map, "a Workflow object names its template in spec.templateRef"));
                return;
            }

            templateRef = reference;
            hardwareRef = Scalar(spec, "hardwareRef") is { Length: > 0 } h ? h : null;
            if (Child(spec, "hardwareMap") is { } mapNode)
            {
                if (mapNode is not YamlMappingNode entries)
                {
                    errors.Add(Error(mapNode, "spec.hardwareMap maps the template's variables to values (device_1: MAC)"));
                    return;
                }

                foreach ((YamlNode key, YamlNode value) in entries.Children)
                {
                    if (key is YamlScalarNode { Value: { Length: > 0 } name } && value is YamlScalarNode scalar)
                    {
                        hardwareMap[name] = scalar.Value ?? "";
                    }
                    else
                    {
                        errors.Add(Error(key, "each spec.hardwareMap entry is NAME: VALUE (strings)"));
                    }
                }
            }
        }

        /// <summary>A document of the file on its own, as YAML.</summary>
        private static string Text(YamlNode root)
        {
            using var writer = new StringWriter();
            new YamlStream(new YamlDocument(root)).Save(writer, assignAnchors: false);
            return writer.ToString();
        }

        private static YamlNode? Child(YamlMappingNode map, string key) =>
            map.Children.TryGetValue(new YamlScalarNode(key), out YamlNode? value) ? value : null;

        private static string? Scalar(YamlMappingNode map, string key) => Child(map, key) is YamlScalarNode s ? s.Value : null;

        private static TemplateError Error(YamlNode node, string message) =>
            new(new SourceLocation((int)node.Start.Line, (int)node.Start.Column), message);
    }
}

/// <summary>
/// Where an embedded template's text starts in its file: a block scalar (<c>data: |</c>) starts on the line after its
/// indicator, each line indented; other scalars put every error at their start.
/// </summary>
public readonly record struct TemplateOffset(int Line, int Column, bool Block)
{
    public static TemplateOffset Of(YamlScalarNode data, string text)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(text);
        if (data.Style is not (ScalarStyle.Literal or ScalarStyle.Folded))
        {
            return new TemplateOffset((int)data.Start.Line, (int)data.Start.Column, Block: false);
        }

        string[] lines = text.Split('\n');
        int first = (int)data.Start.Line; // the indicator's line; the text starts below it
        string? content = lines.Skip(first).FirstOrDefault(l => l.Trim().Length > 0);
        int indent = content is null ? 0 : content.Length - content.TrimStart(' ').Length;
        return new TemplateOffset(first, indent, Block: true);
    }

    /// <summary>An error of the embedded template, at the file's line:column.</summary>
    public TemplateError InFile(TemplateError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (Line == 0)
        {
            return error;
        }

        SourceLocation at = Block
            ? new SourceLocation(Line + error.Location.Line, Column + error.Location.Column)
            : new SourceLocation(Line, Column);
        return error with { Location = at };
    }
}
