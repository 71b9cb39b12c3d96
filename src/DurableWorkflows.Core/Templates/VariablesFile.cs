using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace DurableWorkflows.Core.Templates;

/// <summary>Reads a map of template variables from YAML or JSON text (JSON is YAML): scalar keys to scalar
/// values, each value kept as written (<c>0600</c> stays <c>0600</c>); a null value is the empty string.</summary>
public static class VariablesFile
{
    /// <summary>The variables, or an error as <c>LINE:COL: message</c>.</summary>
    public static (IReadOnlyDictionary<string, string>? Variables, string? Error) Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            return (null, $"{e.Start.Line}:{e.Start.Column}: {FirstLine(e.Message)}");
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return (null, $"1:1: {e.Message}");
        }

        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        if (stream.Documents.Count == 0)
        {
            return (variables, null);
        }

        if (stream.Documents.Count > 1)
        {
            return (null, $"{At(stream.Documents[1].RootNode)}: expected one document with a map of variables");
        }

        YamlNode root = stream.Documents[0].RootNode;
        if (root is YamlScalarNode { Style: ScalarStyle.Plain, Value: "" or "~" or "null" })
        {
            return (variables, null);
        }

        if (root is not YamlMappingNode map)
        {
            return (null, $"{At(root)}: expected a map of variables (KEY: VALUE)");
        }

        foreach (var (keyNode, valueNode) in map.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { Length: > 0 } key })
            {
                return (null, $"{At(keyNode)}: a variable name must be a non-empty string");
            }

            if (valueNode is not YamlScalarNode scalar)
            {
                return (null, $"{At(valueNode)}: the value of variable '{key}' must be a string, number or boolean, not a {Kind(valueNode)}");
            }

            variables[key] = scalar.Style == ScalarStyle.Plain && scalar.Value is null or "~" or "null" or "Null" or "NULL"
                ? ""
                : scalar.Value ?? "";
        }

        return (variables, null);
    }

    private static string At(YamlNode node) => $"{node.Start.Line}:{node.Start.Column}";

    private static string Kind(YamlNode node) => node is YamlSequenceNode ? "list" : "map";

    private static string FirstLine(string message)
    {
        int nl = message.IndexOf('\n', StringComparison.Ordinal);
        return nl < 0 ? message : message[..nl];
    }
}
