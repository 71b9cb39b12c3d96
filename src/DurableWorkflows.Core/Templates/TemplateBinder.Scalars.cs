using DurableWorkflows.GoTemplates;

namespace DurableWorkflows.Core.Templates;

/// <summary>Scalars: strings, counts, durations, booleans; uniqueness and where an error points.</summary>
internal sealed partial class TemplateBinder
{
    // ---- scalars -----------------------------------------------------------------------------------

    /// <summary>A scalar's text; null (with an error) for a list or map, null (no error) for YAML null.</summary>
    private string? Scalar(KeyValuePair<YamlTreeNode, YamlTreeNode> pair, string what)
    {
        if (pair.Value.Kind != YamlKind.Scalar)
        {
            Error(pair.Value, $"'{pair.Key.Value}' of {what} must be a string, not a {pair.Value.KindName}"
                + (pair.Value.Kind == YamlKind.Mapping ? " (a {{ }} that was not rendered, or a missing quote?)" : ""));
            return null;
        }

        return pair.Value.IsNull ? null : pair.Value.Value;
    }

    private string? OptionalString(Dictionary<string, KeyValuePair<YamlTreeNode, YamlTreeNode>> f, string key, string what) =>
        f.TryGetValue(key, out var pair) ? Scalar(pair, what) : null;

    private int? PositiveInt(KeyValuePair<YamlTreeNode, YamlTreeNode> pair, string what, string unit)
    {
        YamlTreeNode node = pair.Value;
        string key = pair.Key.Value;
        if (node.Kind == YamlKind.Scalar && TemplateRules.TryParsePositiveInt(node.Value, out int value))
        {
            return value;
        }

        Error(node, $"'{key}' of {what} must be a positive integer ({unit}), not {Show(node)}");
        return null;
    }

    private int? NonNegativeInt(KeyValuePair<YamlTreeNode, YamlTreeNode> pair, string what)
    {
        YamlTreeNode node = pair.Value;
        string key = pair.Key.Value;
        if (node.Kind == YamlKind.Scalar && TemplateRules.TryParseNonNegativeInt(node.Value, out int value))
        {
            return value;
        }

        Error(node, $"'{key}' of {what} must be a non-negative integer, not {Show(node)}");
        return null;
    }

    private TimeSpan? Duration(KeyValuePair<YamlTreeNode, YamlTreeNode> pair, string what, bool allowZero)
    {
        YamlTreeNode node = pair.Value;
        string key = pair.Key.Value;
        if (node.Kind != YamlKind.Scalar)
        {
            Error(node, $"'{key}' of {what} must be a duration such as 30s, 1m30s or 500ms, not a {node.KindName}");
            return null;
        }

        if (!TemplateRules.TryParseDuration(node.Value, out TimeSpan duration, out string? error))
        {
            Error(node, $"'{key}' of {what}: {error}");
            return null;
        }

        if (!allowZero && duration <= TimeSpan.Zero)
        {
            Error(node, $"'{key}' of {what} must be longer than zero");
            return null;
        }

        return duration;
    }

    private bool? Bool(KeyValuePair<YamlTreeNode, YamlTreeNode> pair, string what)
    {
        YamlTreeNode node = pair.Value;
        if (node.Kind == YamlKind.Scalar)
        {
            switch (node.Value.ToLowerInvariant())
            {
                case "true" or "yes" or "on":
                    return true;
                case "false" or "no" or "off":
                    return false;
            }
        }

        Error(node, $"'{pair.Key.Value}' of {what} must be true or false, not {Show(node)}");
        return null;
    }

    private void Unique(IEnumerable<(string Name, SourceLocation Location)> items, string what, string scope)
    {
        var seen = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
        foreach (var (name, location) in items)
        {
            if (name.Length == 0)
            {
                continue;
            }

            if (!seen.TryAdd(name, location))
            {
                Error(location, $"duplicate {what} name '{name}'{scope} (first at {seen[name]}); {what} names must be unique");
            }
        }
    }

    /// <summary>Where a value is; for a value left out (<c>key:</c> with nothing after it), where its key is.</summary>
    private static SourceLocation ValueLocation(KeyValuePair<YamlTreeNode, YamlTreeNode> pair) =>
        pair.Value.IsNull && pair.Value.Value.Length == 0 ? pair.Key.Location : pair.Value.Location;

    private static string Show(YamlTreeNode node) =>
        node.Kind == YamlKind.Scalar && !node.IsNull ? $"'{node.Value}'" : $"a {node.KindName}";

    private void Error(YamlTreeNode node, string message) => Error(node.Location, message);

    private void Error(SourceLocation location, string message) => _errors.Add(new TemplateError(location, message));
}
