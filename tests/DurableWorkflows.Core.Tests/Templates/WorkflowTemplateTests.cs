using DurableWorkflows.Core.Templates;
using DurableWorkflows.GoTemplates;
using DurableWorkflows.Testing;

namespace DurableWorkflows.Core.Tests.Templates;

public class WorkflowTemplateTests
{
    private static TemplateLoadResult Load(string text, params (string Key, string Value)[] vars) =>
        WorkflowTemplate.Load(text, new TemplateData(vars.ToDictionary(v => v.Key, v => v.Value), "wf-1"));

    private static WorkflowDefinition AssertValid(TemplateLoadResult result)
    {
        Assert.True(result.Errors.Count == 0, string.Join(Environment.NewLine, result.Errors));
        Assert.NotNull(result.Definition);
        return result.Definition;
    }

    private static TemplateError AssertError(TemplateLoadResult result, string fragment)
    {
        Assert.Null(result.Definition);
        var match = result.Errors.FirstOrDefault(e => e.Message.Contains(fragment, StringComparison.Ordinal));
        Assert.True(match is not null, $"no error containing '{fragment}' in:{Environment.NewLine}{string.Join(Environment.NewLine, result.Errors)}");
        return match;
    }

    [Fact]
    public void Load_HelloWorld_GivesDefinition()
    {
        var d = AssertValid(Load(TemplateFixtures.HelloWorld, ("device_1", "08:00:27:00:00:01")));

        Assert.Equal("0.1", d.Version);
        Assert.Equal("hello_world_workflow", d.Name);
        Assert.Equal(600, d.GlobalTimeoutSeconds);
        Assert.Empty(d.Services);
        var task = Assert.Single(d.Tasks);
        Assert.Equal("hello world", task.Name);
        Assert.Equal("08:00:27:00:00:01", task.Worker);
        Assert.Equal(new SourceLocation(5, 5), task.Location);
        var action = Assert.Single(task.Actions);
        Assert.Equal(("hello_world", "hello-world", 60, 0), (action.Name, action.Image, action.TimeoutSeconds, action.Retries));
        Assert.Null(action.Command);
        Assert.Equal(new SourceLocation(8, 9), action.Location);
    }

    [Fact]
    public void Load_Debian_KeepsEnvironmentTextExactly()
    {
        var d = AssertValid(Load(TemplateFixtures.Debian, ("device_1", "worker-1")));

        var task = Assert.Single(d.Tasks);
        Assert.Equal(["/dev:/dev", "/dev/console:/dev/console", "/lib/firmware:/lib/firmware:ro"], task.Volumes);
        Assert.Equal("true", task.Actions[0].Environment["COMPRESSED"]);
        Assert.Equal("http://192.168.1.1:8080/debian-10-openstack-amd64.raw.gz", task.Actions[0].Environment["IMG_URL"]);
        Assert.Equal("quay.io/tinkerbell-actions/kexec:v1.0.0", task.Actions[1].Image);
        Assert.Equal("host", task.Actions[1].Pid);
        Assert.Equal("ext4", task.Actions[1].Environment["FS_TYPE"]);
    }

    [Fact]
    public void Load_DebianAsPrintedWithTabs_ReportsYamlErrorAtTheTab()
    {
        var result = Load(TemplateFixtures.DebianWithTabs, ("device_1", "worker-1"));

        var error = Assert.Single(result.Errors);
        Assert.Null(result.Definition);
        Assert.Equal(6, error.Location.Line);
        Assert.StartsWith("YAML syntax error", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SeedWithVariables_GivesServicesAndTasks()
    {
        var d = AssertValid(Load(TemplateFixtures.Seed, ("provisioner1", "prov-1"), ("device_1", "08:00:27:00:00:01")));

        Assert.Equal("ubuntu_provisioning", d.Name);
        Assert.Equal(6000, d.GlobalTimeoutSeconds);
        Assert.Equal(["serve boot files", "password receiver"], d.Services.Select(s => s.Name));
        Assert.All(d.Services, s =>
        {
            Assert.Equal("prov-1", s.Worker);
            Assert.Equal(RestartPolicy.Default, s.Restart);
            Assert.Equal(TimeSpan.FromMinutes(5), s.StartupTimeout);
            Assert.Null(s.Healthcheck);
        });
        Assert.Equal("osie-boot-files-server:v1.0.42", d.Services[0].Image);

        // Repeated label keys: the last one wins, as in docker compose.
        Assert.Equal("Path(`/auto.ipxe`)", d.Services[0].Labels["traefik.http.routers.myrouter.rule"]);
        var task = Assert.Single(d.Tasks);
        Assert.Equal("08:00:27:00:00:01", task.Worker);
        Assert.Equal("<MIRROR_HOST_IP>", task.Environment["MIRROR_HOST"]);
        Assert.Equal(["disk-wipe", "disk-partition", "install-root-fs"], task.Actions.Select(a => a.Name));
        Assert.Equal(["/statedir:/statedir"], task.Actions[1].Volumes);
    }

    [Fact]
    public void Load_SeedLabels_RenderWorkflowId()
    {
        const string template = """
            version: "0.1"
            name: x
            global_timeout: 60
            services:
              - name: s
                worker: w
                image: a
                labels:
                  - "rule=Host(`{{workflowid}}.workflows.tinkerbell.local`)"
            tasks:
              - name: t
                worker: w
                actions: [{name: a, image: a}]
            """;

        var d = AssertValid(Load(template));

        Assert.Equal("Host(`wf-1.workflows.tinkerbell.local`)", d.Services[0].Labels["rule"]);
    }

    [Fact]
    public void Load_SeedWithoutVariables_NamesEachMissingVariableWithPosition()
    {
        var result = Load(TemplateFixtures.Seed);

        Assert.Null(result.Definition);
        Assert.Collection(
            result.Errors,
            e => Assert.Equal((new SourceLocation(6, 13), true), (e.Location, e.Message.Contains("\"provisioner1\"", StringComparison.Ordinal))),
            e => Assert.Equal((new SourceLocation(16, 14), true), (e.Location, e.Message.Contains("\"provisioner1\"", StringComparison.Ordinal))),
            e => Assert.Equal((new SourceLocation(25, 13), true), (e.Location, e.Message.Contains("\"device_1\"", StringComparison.Ordinal))));
    }

    [Fact]
    public void Load_Full_ReadsEveryKey()
    {
        var d = AssertValid(Load(TemplateFixtures.Full, ("worker", "w1")));

        var web = d.Services[0];
        Assert.Equal("localhost:5000/tools/web-server:1.2.3", web.Image);
        Assert.Equal(new Dictionary<string, string> { ["app"] = "web", ["tier"] = "1" }, web.Labels);
        Assert.Equal("0600", web.Environment["MODE"]);
        Assert.Equal(["/srv:/srv:ro"], web.Volumes);
        Assert.Equal(["httpd", "-f", "-p", "127.0.0.1:8080", "-h", "/srv"], web.Command!);
        Assert.Equal(
            new HealthcheckDefinition(null, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(2), 5, TimeSpan.FromSeconds(90), false),
            web.Healthcheck! with { Test = null });
        Assert.Equal(["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/"], web.Healthcheck!.Test!);
        Assert.Equal(new RestartPolicy(RestartMode.OnFailure, 2), web.Restart);
        Assert.Equal(TimeSpan.FromSeconds(45), web.StartupTimeout);
        var sidecar = d.Services[1];
        Assert.Equal(RestartPolicy.No, sidecar.Restart);
        Assert.True(sidecar.Healthcheck!.Disable);
        Assert.Null(sidecar.Healthcheck.Test);

        var fetch = d.Tasks[0].Actions[0];
        Assert.Equal("yes", d.Tasks[0].Environment["SHARED"]);
        Assert.Equal(["wget", "-q", "http://127.0.0.1:8080/"], fetch.Command!);
        Assert.Equal("true", fetch.Environment["COMPRESSED"]);
        Assert.Equal(["echo", "timed out"], fetch.OnTimeout!);
        Assert.Equal(["echo", "failed with $?"], fetch.OnFailure!);
        Assert.Equal((30, 2, "host"), (fetch.TimeoutSeconds!.Value, fetch.Retries, fetch.Pid));
        Assert.Null(d.Tasks[1].Actions[0].TimeoutSeconds);
    }

    [Theory]
    [InlineData(nameof(TemplateFixtures.HelloWorld))]
    [InlineData(nameof(TemplateFixtures.Debian))]
    [InlineData(nameof(TemplateFixtures.Seed))]
    [InlineData(nameof(TemplateFixtures.Full))]
    public void Write_LoadedDefinition_LoadsBackToTheSameDefinition(string fixture)
    {
        string text = (string)typeof(TemplateFixtures).GetField(fixture)!.GetValue(null)!;
        (string, string)[] vars = [("device_1", "d1"), ("provisioner1", "p1"), ("worker", "w1")];
        var first = AssertValid(Load(text, vars));

        string yaml = WorkflowYaml.Write(first);
        var second = AssertValid(Load(yaml));

        Assert.Equal(yaml, WorkflowYaml.Write(second));
        Assert.Contains("restart: on-failure:3", WorkflowYaml.Write(AssertValid(Load(TemplateFixtures.Seed, vars))), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_DocumentEndMarker_IsAccepted()
    {
        AssertValid(Load(TemplateFixtures.HelloWorld + "\n...\n", ("device_1", "d")));
    }

    [Fact]
    public void Load_SecondDocument_IsAnError()
    {
        var error = AssertError(Load(TemplateFixtures.HelloWorld + "\n---\nname: other\n", ("device_1", "d")), "one YAML document");

        Assert.Equal(11, error.Location.Line);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n# only a comment\n")]
    [InlineData("...")]
    [InlineData("~")]
    public void Load_EmptyTemplate_IsAnError(string text)
    {
        AssertError(Load(text), "the template is empty");
    }

    [Fact]
    public void Load_YamlSyntaxError_ReportsItsPosition()
    {
        const string template = """
            version: "0.1"
            name: x
            global_timeout: 60
            tasks:
              - name: t
                worker: [unclosed
            """;

        var error = AssertError(Load(template), "YAML syntax error");

        Assert.True(error.Location.Line >= 6, error.ToString());
    }

    [Fact]
    public void Load_DuplicateKey_ReportsTheSecond()
    {
        var error = AssertError(Load("version: \"0.1\"\nname: a\nname: b\nglobal_timeout: 1\ntasks: [{name: t, worker: w, actions: []}]\n"), "duplicate key 'name'");

        Assert.Equal(new SourceLocation(3, 1), error.Location);
        Assert.Contains("first at 2:1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_AnchorsAliasesAndMergeKeys_AreResolved()
    {
        const string template = """
            version: "0.1"
            name: anchors
            global_timeout: 60
            tasks:
              - name: t
                worker: w
                environment: &env
                  A: "1"
                actions:
                  - &base
                    name: one
                    image: busybox
                    timeout: 5
                  - <<: *base
                    name: two
                    environment: *env
            """;

        var d = AssertValid(Load(template));

        var two = d.Tasks[0].Actions[1];
        Assert.Equal(("two", "busybox", 5), (two.Name, two.Image, two.TimeoutSeconds!.Value));
        Assert.Equal("1", two.Environment["A"]);
    }

    [Fact]
    public void Load_RecursiveAlias_IsAnErrorNotAHang()
    {
        AssertError(Load("version: \"0.1\"\nname: x\nglobal_timeout: 1\ntasks: &a [*a]\n"), "refers to the node that defines it");
    }

    [Fact]
    public void Load_DeepNesting_IsAnError()
    {
        string deep = "name: " + new string('[', 500) + new string(']', 500);

        Assert.NotEmpty(Load(deep).Errors);
    }

    [Fact]
    public void Load_ErrorsAfterRendering_PointAtTheSourceColumns()
    {
        const string template = """
            version: "0.1"
            name: x
            global_timeout: 60
            tasks:
              - {name: "{{.long}}", worker: "{{.long}}", bogus: 1, actions: []}
            """;

        var error = AssertError(Load(template, ("long", new string('x', 40))), "unknown key 'bogus'");

        Assert.Equal(new SourceLocation(5, 46), error.Location);
    }

    [Fact]
    public void Load_ImageFromVariable_ErrorPointsAtTheValue()
    {
        const string template = """
            version: "0.1"
            name: x
            global_timeout: 60
            tasks:
              - name: t
                worker: w
                actions:
                  - name: a
                    image: {{.image}}
            """;

        var error = AssertError(Load(template, ("image", "Bad/Image:1")), "must be lowercase");

        Assert.Equal(new SourceLocation(9, 16), error.Location);
    }

    [Fact]
    public void Load_ManyProblems_ReportsEveryOneInDocumentOrder()
    {
        const string template = """
            version: "0.1"
            name: ""
            global_timeout: 0
            services:
              - name: s
                image: busybox
                restart: sometimes
            tasks:
              - name: t
                worker: w
                enviroment: {}
                actions:
                  - name: a
                    image: UPPER
                    timeout: -1
            """;

        var result = Load(template);

        SourceLocation[] expected = [new(2, 7), new(3, 17), new(5, 5), new(7, 14), new(11, 5), new(14, 16), new(15, 18)];
        Assert.Null(result.Definition);
        Assert.Equal(expected, result.Errors.Select(e => e.Location));
    }
}
