using static DurableWorkflows.GoTemplates.Tests.GoTemplateTestData;

namespace DurableWorkflows.GoTemplates.Tests;

/// <summary>Hostile templates: what sprig's generators would make past the rendering's bounds is an error at the call, not memory.</summary>
public class GoTemplateLimitTests
{
    [Theory]
    [InlineData("{{ repeat 1000000000 \"x\" }}", "the repeated text would be 1000000000 long")]
    [InlineData("{{ indent 1000000000 \"a\" }}", "the indented text would be")]
    [InlineData("{{ range until 100000000 }}x{{ end }}", "the list of numbers would be 100000000 long")]
    [InlineData("{{ seq 1 2000000000 }}", "the list of numbers would be")]
    [InlineData("{{ range until 5000 }}{{ range until 5000 }}x{{ end }}{{ end }}", "range: more than 10000000 iterations")]
    public void HostileTemplates_AreErrorsAtTheCall(string template, string message)
    {
        TemplateError error = RenderError(template);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(1, error.Location.Line);
    }

    [Theory]
    [InlineData("{{ range until 200 }}x{{ end }}", "the list of numbers would be 200 long, over the limit of 100", 1, 1)]
    [InlineData("a\n{{ range .list }}{{ range until 50 }}{{ end }}{{ end }}", "range: more than 100 iterations", 2, 18)]
    [InlineData("{{ repeat 20 \"x\" }}", "the repeated text would be 20 long, over the limit of 16", 1, 1)]
    [InlineData("0123456789\n{{ \"0123456789\" }}", "rendered text exceeds 16 characters", 2, 1)]
    [InlineData("{{ if 1 }}{{ if 1 }}{{ if 1 }}{{ if 1 }}{{ end }}{{ end }}{{ end }}{{ end }}", "{{if}} nested more than 3 deep", 1, 31)]
    [InlineData("{{ define \"r\" }}{{ template \"r\" . }}{{ end }}{{ template \"r\" }}", "exceeded maximum template depth (10)", 1, 17)]
    public void Limits_AreSettings_AndPassingOneIsAnErrorAtTheConstruct(string template, string message, int line, int column)
    {
        var limits = new RenderLimits { MaxIterations = 100, MaxOutputChars = 16, MaxNesting = 3, MaxTemplateDepth = 10 };
        GoTemplate.Output output = Language.WithLimits(limits).Render(template, Data());

        Assert.Null(output.Text);
        TemplateError error = Assert.Single(output.Errors);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(new SourceLocation(line, column), error.Location);
    }

    [Fact]
    public void Limits_TheDefaultTemplateDepth_IsAnErrorNotAStackOverflow()
    {
        TemplateError error = RenderError("{{ define \"r\" }}{{ if true }}{{ with . }}{{ template \"r\" . }}{{ end }}{{ end }}{{ end }}{{ template \"r\" 1 }}");

        Assert.Contains($"exceeded maximum template depth ({RenderLimits.Default.MaxTemplateDepth})", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Limits_ARenderingThatRunsPastItsTime_Stops()
    {
        // 2^40 template calls and no range: only the time bound stops it.
        const string template = "{{ define \"t\" }}{{ if lt . 40 }}{{ template \"t\" add . 1 }}{{ template \"t\" add . 1 }}{{ end }}{{ end }}{{ template \"t\" 0 }}";
        GoTemplate.Output output = Language.WithLimits(new RenderLimits { MaxTime = TimeSpan.FromMilliseconds(200) }).Render(template, Data());

        TemplateError error = Assert.Single(output.Errors);
        Assert.Contains("rendering took longer than 0.2 s", error.Message, StringComparison.Ordinal);
    }
}
