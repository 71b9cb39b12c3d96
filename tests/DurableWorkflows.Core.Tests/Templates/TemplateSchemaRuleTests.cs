using DurableWorkflows.Core.Templates;
using DurableWorkflows.GoTemplates;

namespace DurableWorkflows.Core.Tests.Templates;

/// <summary>Each schema rule with a valid and an invalid case. Snippets are inserted into a valid template in the
/// section named; '‸' marks where the error must point (and is removed before loading).</summary>
public class TemplateSchemaRuleTests
{
    private const char Caret = '‸';

    private static (string Text, SourceLocation? Expected) Build(string section, string snippet)
    {
        string Indent(string s, int n) => string.Concat(s.Split('\n').Select(l => new string(' ', n) + l + "\n"));
        string top = section == "top" ? Indent(snippet, 0) : "";
        string service = section == "service" ? Indent(snippet, 4) : "";
        string task = section == "task" ? Indent(snippet, 4) : "";
        string action = section == "action" ? Indent(snippet, 8) : "";
        string text =
            "version: \"0.1\"\nname: rules\nglobal_timeout: 600\n" + top
            + "services:\n  - name: svc\n    worker: w1\n    image: busybox:1.36\n" + service
            + "tasks:\n  - name: t1\n    worker: w1\n" + task
            + "    actions:\n      - name: a1\n        image: busybox\n" + action;
        int at = text.IndexOf(Caret, StringComparison.Ordinal);
        if (at < 0)
        {
            return (text, null);
        }

        string before = text[..at];
        int line = before.Count(c => c == '\n') + 1;
        int column = at - (before.LastIndexOf('\n') + 1) + 1;
        return (text.Remove(at, 1), new SourceLocation(line, column));
    }

    private static TemplateLoadResult Load(string text) =>
        WorkflowTemplate.Load(text, new TemplateData(new Dictionary<string, string>(), "wf"));

    [Theory]
    [InlineData("action", "timeout: 90")]
    [InlineData("action", "retries: 3")]
    [InlineData("action", "pid: host")]
    [InlineData("action", "command: [\"/bin/sh\", \"-c\", \"echo hi\"]")]
    [InlineData("action", "command: echo 'a b' \"c d\" e\\ f")]
    [InlineData("action", "on-failure: [\"cleanup\"]")]
    [InlineData("action", "on-timeout: cleanup now")]
    [InlineData("action", "volumes:\n  - /dev:/dev\n  - /lib/firmware:/lib/firmware:ro\n  - /data")]
    [InlineData("action", "environment:\n  MODE: 0600\n  COMPRESSED: true\n  EMPTY:\n  QUOTED: \"\"")]
    [InlineData("task", "volumes:\n  - /dev:/dev")]
    [InlineData("task", "environment: {A: b}")]
    [InlineData("service", "restart: no")]
    [InlineData("service", "restart: \"no\"")]
    [InlineData("service", "restart: on-failure")]
    [InlineData("service", "restart: on-failure:5")]
    [InlineData("service", "startup_timeout: 1m30s")]
    [InlineData("service", "startup_timeout: 500ms")]
    [InlineData("service", "labels:\n  - a=b\n  - c\n  - d=e=f")]
    [InlineData("service", "labels:\n  a: b")]
    [InlineData("service", "healthcheck:\n  test: wget -q http://127.0.0.1/\n  interval: 500ms\n  timeout: 1s\n  retries: 3\n  start_period: 0s")]
    [InlineData("service", "healthcheck:\n  test: [\"CMD\", \"true\"]")]
    [InlineData("service", "healthcheck:\n  test: [\"CMD-SHELL\", \"true\"]")]
    [InlineData("service", "healthcheck:\n  test: [\"NONE\"]")]
    [InlineData("service", "healthcheck:\n  disable: true")]
    [InlineData("service", "healthcheck:\n  disable: false\n  test: \"true\"")]
    [InlineData("service", "command: [\"httpd\", \"-f\"]")]
    [InlineData("service", "environment:\n  PORT: 8080")]
    [InlineData("service", "volumes: [\"/srv:/srv\"]")]
    public void Load_ValidSnippet_GivesDefinition(string section, string snippet)
    {
        var (text, _) = Build(section, snippet);

        var result = Load(text);

        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Errors));
    }

    [Theory]
    [InlineData("action", "timeout: ‸0", "must be a positive integer")]
    [InlineData("action", "timeout: ‸ten", "must be a positive integer")]
    [InlineData("action", "timeout: ‸1.5", "must be a positive integer")]
    [InlineData("action", "timeout: ‸[1]", "must be a positive integer")]
    [InlineData("action", "retries: ‸-1", "must be a non-negative integer")]
    [InlineData("action", "pid: ‸container", "must be 'host'")]
    [InlineData("action", "‸enviroment:\n  A: b", "unknown key 'enviroment' in action; did you mean 'environment'?")]
    [InlineData("action", "‸Image2: x", "did you mean 'image'?")]
    [InlineData("action", "‸frobnicate: x", "unknown key 'frobnicate' in action (known keys: name, image")]
    [InlineData("action", "environment: ‸[A=b]", "must be a map")]
    [InlineData("action", "environment:\n  A: ‸[1, 2]", "must be a string, not a list")]
    [InlineData("action", "environment:\n  ‸A=B: c", "without '='")]
    [InlineData("action", "volumes: ‸/dev:/dev", "must be a list of volumes")]
    [InlineData("action", "volumes:\n  - ‸dev", "absolute container path")]
    [InlineData("action", "volumes:\n  - ‸/a:b", "absolute container path")]
    [InlineData("action", "volumes:\n  - ‸{a: b}", "must be a string HOST:CONTAINER")]
    [InlineData("action", "command: ‸\"echo 'x\"", "unterminated single quote")]
    [InlineData("action", "command: ‸{a: b}", "must be a string or a list of strings")]
    [InlineData("action", "command: ‸\"  \"", "cannot be empty")]
    [InlineData("action", "on-failure:\n  - ‸[x]", "must be a string, not a list")]
    [InlineData("action", "on-timeout: ‸{x: y}", "must be a string or a list")]
    [InlineData("action", "name: a2", "duplicate key 'name'")]
    [InlineData("task", "‸volume:\n  - /dev:/dev", "did you mean 'volumes'?")]
    [InlineData("task", "environment: ‸x", "must be a map")]
    [InlineData("service", "restart: ‸always", "restart must be 'no', 'on-failure' or 'on-failure:N'")]
    [InlineData("service", "restart: ‸on-failure:0", "positive integer")]
    [InlineData("service", "restart: ‸on-failure:x", "positive integer")]
    [InlineData("service", "startup_timeout: ‸10", "has no unit (e.g. 10s)")]
    [InlineData("service", "startup_timeout: ‸0s", "must be longer than zero")]
    [InlineData("service", "startup_timeout: ‸1y", "unknown unit 'y'")]
    [InlineData("service", "startup_timeout: ‸m", "invalid duration")]
    [InlineData("service", "startup_timeout: ‸[1s]", "must be a duration")]
    [InlineData("service", "healthcheck:\n  test: ‸[\"wget\"]", "must start with \"CMD\", \"CMD-SHELL\" or \"NONE\"")]
    [InlineData("service", "healthcheck:\n  test: ‸[]", "cannot be an empty list")]
    [InlineData("service", "healthcheck:\n  test: ‸\"\"", "cannot be empty")]
    [InlineData("service", "healthcheck:\n  ‸disable: true\n  test: x", "sets both 'disable: true' and 'test'")]
    [InlineData("service", "healthcheck:\n  interval: ‸fast", "'interval' of the healthcheck of service 'svc'")]
    [InlineData("service", "healthcheck:\n  timeout: ‸0s", "must be longer than zero")]
    [InlineData("service", "healthcheck:\n  start_period: ‸-1s", "invalid duration")]
    [InlineData("service", "healthcheck:\n  retries: ‸x", "must be a non-negative integer")]
    [InlineData("service", "healthcheck:\n  disable: ‸maybe", "must be true or false")]
    [InlineData("service", "healthcheck:\n  ‸start_interval: 1s", "unknown key 'start_interval' in healthcheck")]
    [InlineData("service", "healthcheck: ‸[a]", "healthcheck must be a map")]
    [InlineData("service", "labels: ‸label", "must be a list of KEY=VALUE or a map")]
    [InlineData("service", "labels:\n  - ‸=v", "must be a string KEY=VALUE")]
    [InlineData("service", "labels:\n  a: ‸{b: c}", "must be a string, not a map")]
    [InlineData("service", "‸healthchek:\n  disable: true", "did you mean 'healthcheck'?")]
    [InlineData("service", "‸startup-timeout: 1s", "did you mean 'startup_timeout'?")]
    [InlineData("top", "‸global_timout: 5", "did you mean 'global_timeout'?")]
    [InlineData("top", "‸Services: []", "did you mean 'services'?")]
    public void Load_InvalidSnippet_ReportsErrorWhereMarked(string section, string snippet, string fragment)
    {
        var (text, expected) = Build(section, snippet);

        var result = Load(text);

        Assert.Null(result.Definition);
        var error = result.Errors.FirstOrDefault(e => e.Message.Contains(fragment, StringComparison.Ordinal));
        Assert.True(error is not null, $"no error containing '{fragment}' in:{Environment.NewLine}{string.Join(Environment.NewLine, result.Errors)}");
        if (expected is { } location)
        {
            Assert.Equal(location, error.Location);
        }
    }

    // ---- whole-template rules ---------------------------------------------------------------------

    private const string Tasks = "tasks:\n  - name: t\n    worker: w\n    actions:\n      - name: a\n        image: busybox\n";

    [Theory]
    [InlineData("version: \"0.1\"\nname: ok\nglobal_timeout: 1\n" + Tasks, null, 0, 0)]
    [InlineData("version: 0.1\nname: ok\nglobal_timeout: 1\n" + Tasks, null, 0, 0)]
    [InlineData("name: ok\nglobal_timeout: 1\n" + Tasks, "missing 'version'", 1, 1)]
    [InlineData("version: \"0.2\"\nname: ok\nglobal_timeout: 1\n" + Tasks, "invalid template version '0.2'", 1, 10)]
    [InlineData("version: \"0.1\"\nglobal_timeout: 1\n" + Tasks, "missing 'name'", 1, 1)]
    [InlineData("version: \"0.1\"\nname: \"\"\nglobal_timeout: 1\n" + Tasks, "template name cannot be empty", 2, 7)]
    [InlineData("version: \"0.1\"\nname:\nglobal_timeout: 1\n" + Tasks, "template name cannot be empty", 2, 1)]
    [InlineData("version: \"0.1\"\nname: [a]\nglobal_timeout: 1\n" + Tasks, "'name' of the template must be a string, not a list", 2, 7)]
    [InlineData("version: \"0.1\"\nname: ok\n" + Tasks, "missing 'global_timeout'", 1, 1)]
    [InlineData("version: \"0.1\"\nname: ok\nglobal_timeout: 0\n" + Tasks, "must be a positive integer", 3, 17)]
    [InlineData("version: \"0.1\"\nname: ok\nglobal_timeout: 1\n", "at least one task", 1, 1)]
    [InlineData("version: \"0.1\"\nname: ok\nglobal_timeout: 1\ntasks: []\n", "at least one task", 4, 8)]
    [InlineData("version: \"0.1\"\nname: ok\nglobal_timeout: 1\ntasks:\n", "at least one task", 4, 7)]
    [InlineData("version: \"0.1\"\nname: ok\nglobal_timeout: 1\ntasks: {a: b}\n", "'tasks' of the template must be a list of tasks", 4, 8)]
    [InlineData("version: \"0.1\"\nname: ok\nglobal_timeout: 1\nservices: x\n" + Tasks, "'services' of the template must be a list of services", 4, 11)]
    [InlineData("- version: \"0.1\"\n", "the template must be a map", 1, 1)]
    [InlineData("just text\n", "the template must be a map", 1, 1)]
    [InlineData("version: \"0.1\"\nname: ok\nglobal_timeout: 1\ntasks:\n  - just a task\n", "task must be a map", 5, 5)]
    [InlineData("version: \"0.1\"\nname: ok\nglobal_timeout: 1\ntasks:\n  - name: t\n    worker: w\n    actions:\n      - image:busybox\n", "a space missing after a ':'", 8, 9)]
    public void Load_TemplateRule_ValidOrReportsError(string text, string? fragment, int line, int column)
    {
        var result = Load(text);

        if (fragment is null)
        {
            Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Errors));
            return;
        }

        Assert.Null(result.Definition);
        var error = result.Errors.FirstOrDefault(e => e.Message.Contains(fragment, StringComparison.Ordinal));
        Assert.True(error is not null, $"no error containing '{fragment}' in:{Environment.NewLine}{string.Join(Environment.NewLine, result.Errors)}");
        Assert.Equal(new SourceLocation(line, column), error.Location);
    }

    private static string Template(string tasks, string services = "") =>
        "version: \"0.1\"\nname: names\nglobal_timeout: 60\n" + services + "tasks:\n" + tasks;

    [Fact]
    public void Load_NameLengths_Under200IsValid200IsNot()
    {
        string ok = new('t', 199);
        string tooLong = new('t', 200);

        Assert.True(Load(Template($"  - name: {ok}\n    worker: w\n    actions: [{{name: {ok}, image: a}}]\n")).IsValid);
        var result = Load(Template($"  - name: {tooLong}\n    worker: w\n    actions: [{{name: {tooLong}, image: a}}]\n"));
        Assert.Equal(2, result.Errors.Count(e => e.Message.Contains("must be shorter than 200 characters (it has 200)", StringComparison.Ordinal)));
        Assert.Contains(result.Errors, e => e.Message.StartsWith("task name", StringComparison.Ordinal) && e.Location == new SourceLocation(5, 11));
        Assert.Contains(result.Errors, e => e.Message.StartsWith("action name", StringComparison.Ordinal) && e.Location == new SourceLocation(7, 22));
    }

    [Fact]
    public void Load_EmptyNames_AreErrors()
    {
        var result = Load(Template("  - name: \"\"\n    worker: w\n    actions:\n      - image: a\n", "services:\n  - worker: w\n    image: a\n"));

        Assert.Contains(result.Errors, e => e.Message.Contains("task name cannot be empty", StringComparison.Ordinal) && e.Location == new SourceLocation(8, 11));
        Assert.Contains(result.Errors, e => e.Message.Contains("action is missing 'name'", StringComparison.Ordinal) && e.Location == new SourceLocation(11, 9));
        Assert.Contains(result.Errors, e => e.Message.Contains("service is missing 'name'", StringComparison.Ordinal) && e.Location == new SourceLocation(5, 5));
    }

    [Fact]
    public void Load_DuplicateTaskNames_AreErrors()
    {
        var result = Load(Template("  - {name: t, worker: w, actions: []}\n  - {name: u, worker: w, actions: []}\n  - {name: t, worker: w, actions: []}\n"));

        var error = Assert.Single(result.Errors);
        Assert.Equal(new SourceLocation(7, 5), error.Location);
        Assert.Contains("duplicate task name 't' (first at 5:5)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_DuplicateActionNames_AreErrorsWithinATaskOnly()
    {
        Assert.True(Load(Template("  - {name: t, worker: w, actions: [{name: a, image: x}]}\n  - {name: u, worker: w, actions: [{name: a, image: x}]}\n")).IsValid);

        var result = Load(Template("  - name: t\n    worker: w\n    actions:\n      - {name: a, image: x}\n      - {name: a, image: x}\n"));

        var error = Assert.Single(result.Errors);
        Assert.Equal(new SourceLocation(9, 9), error.Location);
        Assert.Contains("duplicate action name 'a' in task 't'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_DuplicateServiceNames_AreErrors()
    {
        const string services = "services:\n  - {name: s, worker: w, image: a}\n  - {name: s, worker: w, image: a}\n";
        var result = Load(Template("  - {name: t, worker: w, actions: []}\n", services));

        var error = Assert.Single(result.Errors);
        Assert.Equal(new SourceLocation(6, 5), error.Location);
        Assert.Contains("duplicate service name 's'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ServiceWithoutImage_IsAnError()
    {
        var result = Load(Template("  - {name: t, worker: w, actions: []}\n", "services:\n  - name: s\n    worker: w\n"));

        var error = Assert.Single(result.Errors);
        Assert.Equal(("service 's' is missing 'image'", new SourceLocation(5, 5)), (error.Message, error.Location));
    }

    [Theory]
    [InlineData("  - {name: t, actions: []}\n", "", "task 't' has no worker", 5, 5)]
    [InlineData("  - {name: t, worker: \"{{.w}}\", actions: []}\n", "", "task 't' has an empty worker after rendering", 5, 23)]
    [InlineData("  - {name: t, worker: , actions: []}\n", "", "task 't' has an empty worker after rendering", 5, 15)]
    [InlineData("  - {name: t, worker: x, actions: []}\n", "services:\n  - {name: s, image: a}\n", "service 's' has no worker", 5, 5)]
    [InlineData("  - {name: t, worker: x, actions: []}\n", "services:\n  - {name: s, image: a, worker: {{.w}}}\n", "service 's' has an empty worker", 5, 25)]
    public void Load_MissingOrEmptyWorker_IsAnError(string tasks, string services, string fragment, int line, int column)
    {
        var result = WorkflowTemplate.Load(Template(tasks, services), new TemplateData(new Dictionary<string, string> { ["w"] = "" }, "wf"));

        var error = Assert.Single(result.Errors);
        Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
        Assert.Equal(new SourceLocation(line, column), error.Location);
    }

    [Theory]
    [InlineData("busybox", true)]
    [InlineData("busybox:1.36", true)]
    [InlineData("library/busybox:latest", true)]
    [InlineData("quay.io/tinkerbell-actions/image2disk:v1.0.0", true)]
    [InlineData("localhost:5000/a/b_c__d-e.f:tag", true)]
    [InlineData("[::1]:5000/a", true)]
    [InlineData("Registry/busybox", true)]
    [InlineData("busybox@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", true)]
    [InlineData("Busybox", false)]
    [InlineData("quay.io/Tinkerbell/x", false)]
    [InlineData("busybox:", false)]
    [InlineData("busybox:-x", false)]
    [InlineData("bus box", false)]
    [InlineData("-busybox", false)]
    [InlineData("a//b", false)]
    [InlineData("busybox@sha256:abc", false)]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", false)]
    public void CheckImageReference_FollowsDockersGrammar(string image, bool valid)
    {
        Assert.Equal(valid, TemplateRules.CheckImageReference(image) is null);

        var result = Load(Template($"  - name: t\n    worker: w\n    actions:\n      - name: a\n        image: \"{image}\"\n"));
        Assert.Equal(valid, result.IsValid);
        if (!valid)
        {
            Assert.Equal(new SourceLocation(9, 16), Assert.Single(result.Errors).Location);
        }
    }

    [Fact]
    public void CheckImageReference_LongName_IsAnError()
    {
        Assert.Contains("255", TemplateRules.CheckImageReference(string.Join('/', Enumerable.Repeat(new string('a', 60), 5))), StringComparison.Ordinal);
    }
}
