namespace DurableWorkflows.Core.Templates;

/// <summary>The fields the definitions are made of: names, workers, images, lists, volumes, environment, labels, commands.</summary>
internal sealed partial class TemplateBinder
{
    // ---- fields ------------------------------------------------------------------------------------

    private Dictionary<string, KeyValuePair<YamlTreeNode, YamlTreeNode>>? Fields(YamlTreeNode node, string what, string[] known)
    {
        if (node.Kind != YamlKind.Mapping)
        {
            Error(node, $"{what} must be a map of keys ({string.Join(", ", known)}), not a {node.KindName}"
                + (node.Kind == YamlKind.Scalar && node.Value.Contains(':', StringComparison.Ordinal) ? " (is a space missing after a ':'?)" : ""));
            return null;
        }

        var fields = new Dictionary<string, KeyValuePair<YamlTreeNode, YamlTreeNode>>(StringComparer.Ordinal);
        foreach (var pair in node.Pairs)
        {
            if (pair.Key.Kind != YamlKind.Scalar)
            {
                Error(pair.Key, $"a key of {what} must be a plain name, not a {pair.Key.KindName}");
                continue;
            }

            string key = pair.Key.Value;
            if (Array.IndexOf(known, key) < 0)
            {
                string? hint = TemplateRules.DidYouMean(key, known);
                Error(pair.Key, hint is not null
                    ? $"unknown key '{key}' in {what}; did you mean '{hint}'?"
                    : $"unknown key '{key}' in {what} (known keys: {string.Join(", ", known)})");
                continue;
            }

            fields[key] = pair;
        }

        return fields;
    }

    private string? RequiredName(Dictionary<string, KeyValuePair<YamlTreeNode, YamlTreeNode>> f, YamlTreeNode owner, string key, string what, string ownerName)
    {
        if (!f.TryGetValue(key, out var pair))
        {
            Error(owner, $"{ownerName} is missing '{key}': {what} cannot be empty");
            return null;
        }

        string? value = Scalar(pair, ownerName);
        if (value is not null && TemplateRules.CheckName(what, value) is { } error)
        {
            Error(pair.Value, error);
        }
        else if (value is null && pair.Value.IsNull)
        {
            Error(ValueLocation(pair), $"{what} cannot be empty");
        }

        return value;
    }

    private string Worker(Dictionary<string, KeyValuePair<YamlTreeNode, YamlTreeNode>> f, YamlTreeNode owner, string what)
    {
        if (!f.TryGetValue("worker", out var pair))
        {
            Error(owner, $"{what} has no worker: add 'worker:' (e.g. worker: \"{{{{.device_1}}}}\")");
            return "";
        }

        string? worker = Scalar(pair, what);
        if (string.IsNullOrWhiteSpace(worker) && (worker is not null || pair.Value.IsNull))
        {
            Error(ValueLocation(pair), $"{what} has an empty worker after rendering");
        }

        return worker ?? "";
    }

    private string Image(Dictionary<string, KeyValuePair<YamlTreeNode, YamlTreeNode>> f, YamlTreeNode owner, string what)
    {
        if (!f.TryGetValue("image", out var pair))
        {
            Error(owner, $"{what} is missing 'image'");
            return "";
        }

        string? image = Scalar(pair, what);
        if (image is not null || pair.Value.IsNull)
        {
            if (TemplateRules.CheckImageReference(image) is { } error)
            {
                Error(pair.Value, $"{what}: {error}");
            }
        }

        return image ?? "";
    }

    private List<YamlTreeNode> List(KeyValuePair<YamlTreeNode, YamlTreeNode> pair, string what, string expected)
    {
        string key = pair.Key.Value;
        YamlTreeNode node = pair.Value;
        if (node.IsNull)
        {
            return [];
        }

        if (node.Kind != YamlKind.Sequence)
        {
            Error(node, $"'{key}' of {what} must be {expected} (items starting with '- '), not a {node.KindName}");
            return [];
        }

        return node.Items;
    }

    private List<string> Volumes(Dictionary<string, KeyValuePair<YamlTreeNode, YamlTreeNode>> f, string what)
    {
        if (!f.TryGetValue("volumes", out var pair))
        {
            return [];
        }

        var volumes = new List<string>();
        foreach (var item in List(pair, what, "a list of volumes (HOST:CONTAINER[:OPTIONS])"))
        {
            if (item.Kind != YamlKind.Scalar || item.IsNull)
            {
                Error(item, $"a volume of {what} must be a string HOST:CONTAINER[:OPTIONS], not a {item.KindName}");
                continue;
            }

            string[] parts = item.Value.Split(':');
            string containerPath = parts.Length == 1 ? parts[0] : parts[1];
            if (parts.Length > 3 || parts.Any(p => p.Length == 0) || !containerPath.StartsWith('/'))
            {
                Error(item, $"volume '{item.Value}' of {what} must be HOST:CONTAINER[:OPTIONS] with an absolute container path (e.g. /dev:/dev or /lib/firmware:/lib/firmware:ro)");
                continue;
            }

            volumes.Add(item.Value);
        }

        return volumes;
    }

    private Dictionary<string, string> Environment(Dictionary<string, KeyValuePair<YamlTreeNode, YamlTreeNode>> f, string what)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!f.TryGetValue("environment", out var pair) || pair.Value.IsNull)
        {
            return environment;
        }

        if (pair.Value.Kind != YamlKind.Mapping)
        {
            Error(pair.Value, $"'environment' of {what} must be a map (KEY: VALUE), not a {pair.Value.KindName}");
            return environment;
        }

        foreach (var (key, value) in pair.Value.Pairs)
        {
            if (key.Kind != YamlKind.Scalar || key.Value.Length == 0 || key.Value.Contains('=', StringComparison.Ordinal))
            {
                Error(key, $"an environment variable name of {what} must be a non-empty string without '='");
                continue;
            }

            if (value.Kind != YamlKind.Scalar)
            {
                Error(value, $"environment variable '{key.Value}' of {what} must be a string, not a {value.KindName}");
                continue;
            }

            environment[key.Value] = value.IsNull ? "" : value.Value;
        }

        return environment;
    }

    private Dictionary<string, string> Labels(Dictionary<string, KeyValuePair<YamlTreeNode, YamlTreeNode>> f, string what)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!f.TryGetValue("labels", out var pair) || pair.Value.IsNull)
        {
            return labels;
        }

        YamlTreeNode node = pair.Value;
        if (node.Kind == YamlKind.Mapping)
        {
            foreach (var (key, value) in node.Pairs)
            {
                if (key.Kind != YamlKind.Scalar || key.Value.Length == 0)
                {
                    Error(key, $"a label name of {what} must be a non-empty string");
                }
                else if (value.Kind != YamlKind.Scalar)
                {
                    Error(value, $"label '{key.Value}' of {what} must be a string, not a {value.KindName}");
                }
                else
                {
                    labels[key.Value] = value.IsNull ? "" : value.Value;
                }
            }
        }
        else if (node.Kind == YamlKind.Sequence)
        {
            foreach (var item in node.Items)
            {
                int eq = item.Kind == YamlKind.Scalar ? item.Value.IndexOf('=', StringComparison.Ordinal) : -1;
                if (item.Kind != YamlKind.Scalar || item.IsNull || eq == 0)
                {
                    Error(item, $"a label of {what} must be a string KEY=VALUE, not a {item.KindName}");
                    continue;
                }

                // Repeated keys are allowed, the last one wins (as in docker compose).
                labels[eq < 0 ? item.Value : item.Value[..eq]] = eq < 0 ? "" : item.Value[(eq + 1)..];
            }
        }
        else
        {
            Error(node, $"'labels' of {what} must be a list of KEY=VALUE or a map, not a {node.KindName}");
        }

        return labels;
    }

    /// <summary>A command as a string (split like a shell does) or a list of strings; an empty list means none.</summary>
    private List<string>? Command(Dictionary<string, KeyValuePair<YamlTreeNode, YamlTreeNode>> f, string key, string what)
    {
        if (!f.TryGetValue(key, out var pair) || pair.Value.IsNull)
        {
            return null;
        }

        if (pair.Value.Kind == YamlKind.Scalar)
        {
            if (!TemplateRules.TrySplitCommand(pair.Value.Value, out var words, out string? error))
            {
                Error(pair.Value, $"'{key}' of {what}: {error}");
                return null;
            }

            if (words.Count == 0)
            {
                Error(pair.Value, $"'{key}' of {what} cannot be empty");
                return null;
            }

            return [.. words];
        }

        var list = StringList(pair, what);
        return list is { Count: > 0 } ? list : null;
    }

    private List<string>? StringList(KeyValuePair<YamlTreeNode, YamlTreeNode> pair, string what)
    {
        string key = pair.Key.Value;
        if (pair.Value.Kind != YamlKind.Sequence)
        {
            Error(pair.Value, $"'{key}' of {what} must be a string or a list of strings, not a {pair.Value.KindName}");
            return null;
        }

        var list = new List<string>();
        bool ok = true;
        foreach (var item in pair.Value.Items)
        {
            if (item.Kind != YamlKind.Scalar)
            {
                Error(item, $"an item of '{key}' of {what} must be a string, not a {item.KindName}");
                ok = false;
                continue;
            }

            list.Add(item.IsNull ? "" : item.Value);
        }

        return ok ? list : null;
    }
}
