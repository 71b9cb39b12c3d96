using DurableWorkflows.GoTemplates;
namespace DurableWorkflows.Core.Templates;

/// <summary>
/// Binds a YAML tree to the template schema and applies every rule (Tinkerbell's and ours), collecting all errors:
/// unknown keys (with a did-you-mean hint), wrong node kinds, missing keys, bad values, duplicate names.
/// </summary>
internal sealed class TemplateBinder
{
    internal static readonly string[] TemplateKeys = ["version", "name", "global_timeout", "services", "tasks"];
    internal static readonly string[] TaskKeys = ["name", "worker", "volumes", "environment", "actions"];
    internal static readonly string[] ActionKeys =
        ["name", "image", "timeout", "command", "environment", "volumes", "pid", "on-timeout", "on-failure", "retries"];
    internal static readonly string[] ServiceKeys =
        ["name", "worker", "image", "labels", "environment", "volumes", "command", "healthcheck", "restart", "startup_timeout"];
    internal static readonly string[] HealthcheckKeys = ["test", "interval", "timeout", "retries", "start_period", "disable"];

    /// <summary>The only template version (Tinkerbell rejects any other).</summary>
    public const string DefaultVersion = "0.1";

    /// <summary>How long a service may take to become ready when the template does not say.</summary>
    public static readonly TimeSpan DefaultStartupTimeout = TimeSpan.FromMinutes(5);

    private readonly List<TemplateError> _errors;

    private TemplateBinder(List<TemplateError> errors) => _errors = errors;

    /// <summary>The definition, or null when any error was found (all of them are in <paramref name="errors"/>).</summary>
    public static WorkflowDefinition? Bind(YamlTreeNode? root, List<TemplateError> errors)
    {
        int before = errors.Count;
        var binder = new TemplateBinder(errors);
        if (root is null || root.IsNull)
        {
            errors.Add(new TemplateError(root?.Location ?? new SourceLocation(1, 1), "the template is empty; expected a map with name, global_timeout and tasks"));
            return null;
        }

        WorkflowDefinition? definition = binder.BindTemplate(root);
        return errors.Count == before ? definition : null;
    }

    private WorkflowDefinition? BindTemplate(YamlTreeNode root)
    {
        var f = Fields(root, "the template", TemplateKeys);
        if (f is null)
        {
            return null;
        }

        string version = DefaultVersion;
        if (!f.TryGetValue("version", out var versionPair))
        {
            Error(root, $"the template is missing 'version' (Tinkerbell's template version, \"{DefaultVersion}\")");
        }
        else if (Scalar(versionPair, "the template") is { } v)
        {
            version = v;
            if (v != DefaultVersion)
            {
                Error(versionPair.Value, $"invalid template version '{v}': the only version is \"{DefaultVersion}\"");
            }
        }
        else if (versionPair.Value.IsNull)
        {
            Error(versionPair.Value, $"the template version cannot be empty (it is \"{DefaultVersion}\")");
        }
        string name = RequiredName(f, root, "name", "template name", "the template") ?? "";
        int globalTimeout = 0;
        if (f.TryGetValue("global_timeout", out var gt))
        {
            globalTimeout = PositiveInt(gt, "the template", "seconds") ?? 0;
        }
        else
        {
            Error(root, "the template is missing 'global_timeout' (the workflow's time limit in seconds)");
        }

        var services = new List<ServiceDefinition>();
        if (f.TryGetValue("services", out var servicesNode))
        {
            foreach (var item in List(servicesNode, "the template", "a list of services"))
            {
                if (BindService(item) is { } service)
                {
                    services.Add(service);
                }
            }

            Unique(services.Select(s => (s.Name, s.Location)), "service", "");
        }

        var tasks = new List<TaskDefinition>();
        if (f.TryGetValue("tasks", out var tasksNode))
        {
            var items = List(tasksNode, "the template", "a list of tasks");
            if (items.Count == 0 && (tasksNode.Value.IsNull || tasksNode.Value.Kind == YamlKind.Sequence))
            {
                Error(tasksNode.Value, "a template must have at least one task");
            }

            foreach (var item in items)
            {
                if (BindTask(item) is { } task)
                {
                    tasks.Add(task);
                }
            }

            Unique(tasks.Select(t => (t.Name, t.Location)), "task", "");
        }
        else
        {
            Error(root, "a template must have at least one task: 'tasks' is missing");
        }

        return new WorkflowDefinition(version, name, globalTimeout, services, tasks);
    }

    private TaskDefinition? BindTask(YamlTreeNode node)
    {
        var f = Fields(node, "task", TaskKeys);
        if (f is null)
        {
            return null;
        }

        string name = RequiredName(f, node, "name", "task name", "task") ?? "";
        string what = $"task '{name}'";
        string worker = Worker(f, node, what);
        var volumes = Volumes(f, what);
        var environment = Environment(f, what);
        var actions = new List<ActionDefinition>();
        if (f.TryGetValue("actions", out var actionsNode))
        {
            foreach (var item in List(actionsNode, what, "a list of actions"))
            {
                if (BindAction(item, name) is { } action)
                {
                    actions.Add(action);
                }
            }

            Unique(actions.Select(a => (a.Name, a.Location)), "action", $" in {what}");
        }

        return new TaskDefinition(name, worker, volumes, environment, actions, node.Location);
    }

    private ActionDefinition? BindAction(YamlTreeNode node, string taskName)
    {
        var f = Fields(node, "action", ActionKeys);
        if (f is null)
        {
            return null;
        }

        string name = RequiredName(f, node, "name", "action name", "action") ?? "";
        string what = $"action '{name}' of task '{taskName}'";
        string image = Image(f, node, what);
        int? timeout = f.TryGetValue("timeout", out var t) && !t.Value.IsNull ? PositiveInt(t, what, "seconds") : null;
        var command = Command(f, "command", what);
        var onTimeout = Command(f, "on-timeout", what);
        var onFailure = Command(f, "on-failure", what);
        string? pid = OptionalString(f, "pid", what);
        if (pid is not null && pid != "host")
        {
            Error(f["pid"].Value, $"pid of {what} must be 'host' (the only PID namespace an action may share), not '{pid}'");
        }

        int retries = 0;
        if (f.TryGetValue("retries", out var r) && !r.Value.IsNull)
        {
            retries = NonNegativeInt(r, what) ?? 0;
        }

        return new ActionDefinition(
            name, image, timeout, command, Environment(f, what), Volumes(f, what), pid, onTimeout, onFailure, retries, node.Location);
    }

    private ServiceDefinition? BindService(YamlTreeNode node)
    {
        var f = Fields(node, "service", ServiceKeys);
        if (f is null)
        {
            return null;
        }

        string name = RequiredName(f, node, "name", "service name", "service") ?? "";
        string what = $"service '{name}'";
        string worker = Worker(f, node, what);
        string image = Image(f, node, what);
        var labels = Labels(f, what);
        var environment = Environment(f, what);
        var volumes = Volumes(f, what);
        var command = Command(f, "command", what);
        HealthcheckDefinition? healthcheck = null;
        if (f.TryGetValue("healthcheck", out var hc) && !hc.Value.IsNull)
        {
            healthcheck = BindHealthcheck(hc.Value, what);
        }

        RestartPolicy restart = RestartPolicy.Default;
        if (OptionalString(f, "restart", what) is { } restartText
            && !TemplateRules.TryParseRestart(restartText, out restart, out string? restartError))
        {
            Error(f["restart"].Value, $"{what}: {restartError}");
        }

        TimeSpan startupTimeout = DefaultStartupTimeout;
        if (f.TryGetValue("startup_timeout", out var st) && !st.Value.IsNull)
        {
            startupTimeout = Duration(st, what, allowZero: false) ?? DefaultStartupTimeout;
        }

        return new ServiceDefinition(
            name, worker, image, labels, environment, volumes, command, healthcheck, restart, startupTimeout, node.Location);
    }

    private HealthcheckDefinition? BindHealthcheck(YamlTreeNode node, string owner)
    {
        string what = $"the healthcheck of {owner}";
        var f = Fields(node, "healthcheck", HealthcheckKeys);
        if (f is null)
        {
            return null;
        }

        bool disable = false;
        if (f.TryGetValue("disable", out var d) && !d.Value.IsNull)
        {
            disable = Bool(d, what) ?? false;
        }

        IReadOnlyList<string>? test = null;
        if (f.TryGetValue("test", out var t) && !t.Value.IsNull)
        {
            if (t.Value.Kind == YamlKind.Scalar)
            {
                test = t.Value.Value.Length == 0 ? null : ["CMD-SHELL", t.Value.Value];
                if (test is null)
                {
                    Error(t.Value, $"'test' of {what} cannot be empty");
                }
            }
            else
            {
                var words = StringList(t, what);
                if (words is { Count: > 0 } && words[0] is not ("NONE" or "CMD" or "CMD-SHELL"))
                {
                    Error(t.Value, $"'test' of {what} as a list must start with \"CMD\", \"CMD-SHELL\" or \"NONE\" (e.g. [\"CMD\", \"wget\", \"-q\", \"http://127.0.0.1/\"]), or be a string run by the shell");
                }
                else if (words is { Count: 0 })
                {
                    Error(t.Value, $"'test' of {what} cannot be an empty list");
                }
                else if (words is ["NONE", ..])
                {
                    disable = true;
                }
                else
                {
                    test = words;
                }
            }

            if (f.TryGetValue("disable", out var dd) && disable && test is not null)
            {
                Error(dd.Key, $"{what} sets both 'disable: true' and 'test'; use one of them");
            }
        }

        TimeSpan? interval = f.TryGetValue("interval", out var i) && !i.Value.IsNull ? Duration(i, what, allowZero: false) : null;
        TimeSpan? timeout = f.TryGetValue("timeout", out var to) && !to.Value.IsNull ? Duration(to, what, allowZero: false) : null;
        TimeSpan? startPeriod = f.TryGetValue("start_period", out var sp) && !sp.Value.IsNull ? Duration(sp, what, allowZero: true) : null;
        int? retries = f.TryGetValue("retries", out var r) && !r.Value.IsNull ? NonNegativeInt(r, what) : null;
        return new HealthcheckDefinition(test, interval, timeout, retries, startPeriod, disable);
    }

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
