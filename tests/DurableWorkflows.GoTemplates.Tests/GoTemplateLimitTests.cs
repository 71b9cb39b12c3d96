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
}
