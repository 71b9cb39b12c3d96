using DurableWorkflows.Core.Templates;
using DurableWorkflows.GoTemplates;

namespace DurableWorkflows.Core.Tests.Templates;

public class TemplateRendererTests
{
    private static readonly TemplateData Data = new(
        new Dictionary<string, string> { ["device_1"] = "08:00:27:00:00:01", ["provisioner1"] = "prov-1", ["empty"] = "" },
        "wf-42");

    [Theory]
    [InlineData("worker: {{.device_1}}", "worker: 08:00:27:00:00:01")]
    [InlineData("worker: {{ .device_1 }}", "worker: 08:00:27:00:00:01")]
    [InlineData("worker: {{device_1}}", "worker: 08:00:27:00:00:01")]
    [InlineData("worker: \"{{provisioner1}}\"", "worker: \"prov-1\"")]
    [InlineData("id: {{.workflowid}}", "id: wf-42")]
    [InlineData("id: {{workflowid}}", "id: wf-42")]
    [InlineData("id: {{ workflowid }}-{{.empty}}x", "id: wf-42-x")]
    [InlineData("a: {{/* a comment */}}b", "a: b")]
    [InlineData("a: {{\"{{\"}}x}}", "a: {{x}}")]
    [InlineData("a: {{`}}`}}", "a: }}")]
    [InlineData("a: x   {{- .empty -}}   y", "a: xy")]
    public void Render_Action_SubstitutesValue(string template, string expected)
    {
        var result = TemplateRenderer.Render(template, Data);

        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        Assert.Equal(expected, result.Text);
    }

    [Theory]
    [InlineData("a: <<b\nc: `d`\nMIRROR_HOST: <MIRROR_HOST_IP>\n")]
    [InlineData("merge: &x {a: 1}\nb:\n  <<: *x\n")]
    [InlineData("a: { b: c }\nd: } } { {\ne: '{ {'\n")]
    [InlineData("")]
    public void Render_TextWithoutActions_PassesThroughUntouched(string template)
    {
        var result = TemplateRenderer.Render(template, Data);

        Assert.True(result.Succeeded);
        Assert.Equal(template, result.Text);
    }

    [Fact]
    public void Render_MissingVariables_ReportsEachWithLineAndColumn()
    {
        const string template = """
            name: x
            worker: {{.device_2}}
              image: {{ nope }} and {{.device_1}}
            """;

        var result = TemplateRenderer.Render(template, Data);

        Assert.False(result.Succeeded);
        Assert.Null(result.Text);
        Assert.Collection(
            result.Errors,
            e =>
            {
                Assert.Equal(new SourceLocation(2, 9), e.Location);
                Assert.Contains("\"device_2\"", e.Message, StringComparison.Ordinal);
            },
            e =>
            {
                Assert.Equal(new SourceLocation(3, 10), e.Location);
                Assert.Contains("\"nope\"", e.Message, StringComparison.Ordinal);
            });
    }

    [Theory]
    [InlineData("a: {{ .x.y }}", "missing variable \"x\"")]
    [InlineData("a: {{ if .device_1 }}b", "no matching {{end}}")]
    [InlineData("a: {{}}", "empty action")]
    [InlineData("a: {{ .device_1 ", "unclosed")]
    [InlineData("a: {{ \"bad\\q\" }}", "malformed")]
    public void Render_UnsupportedOrBrokenAction_ReportsError(string template, string expected)
    {
        var result = TemplateRenderer.Render(template, Data);

        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Errors.Take(1));
        Assert.Equal(new SourceLocation(1, 4), error.Location);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_UserVariableNamedWorkflowId_BuiltInWins()
    {
        var data = new TemplateData(new Dictionary<string, string> { ["workflowid"] = "user" }, "real");

        Assert.Equal("real", TemplateRenderer.Render("{{.workflowid}}", data).Text);
    }

    [Fact]
    public void Render_Map_LocatesRenderedOffsetsInTheSource()
    {
        const string template = "a: {{.device_1}} b\nc: {{.workflowid}}\n";

        var result = TemplateRenderer.Render(template, Data);

        Assert.NotNull(result.Map);
        string text = result.Text!;
        Assert.Equal(new SourceLocation(1, 4), result.Map.Locate(text.IndexOf("08:", StringComparison.Ordinal) + 5));
        Assert.Equal(new SourceLocation(1, 18), result.Map.Locate(text.IndexOf(" b", StringComparison.Ordinal) + 1));
        Assert.Equal(new SourceLocation(2, 1), result.Map.Locate(text.IndexOf("c:", StringComparison.Ordinal)));
        Assert.Equal(new SourceLocation(2, 4), result.Map.Locate(text.IndexOf("wf-42", StringComparison.Ordinal)));
    }
}
