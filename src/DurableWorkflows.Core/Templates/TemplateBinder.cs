using DurableWorkflows.GoTemplates;
namespace DurableWorkflows.Core.Templates;

/// <summary>
/// Binds a YAML tree to the template schema and applies every rule (Tinkerbell's and ours), collecting all errors:
/// unknown keys (with a did-you-mean hint), wrong node kinds, missing keys, bad values, duplicate names.
/// </summary>
internal sealed partial class TemplateBinder
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
}
