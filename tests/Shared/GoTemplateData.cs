using DurableWorkflows.GoTemplates;

namespace DurableWorkflows.Testing;

/// <summary>Dot and render helpers of the Go template tests, for any configuration of the language.</summary>
internal static class GoTemplateData
{
    /// <summary>Dot as Tinkerbell builds it: the workflow's variables as top-level keys, plus a few typed values.</summary>
    public static Dictionary<string, object?> Data() => new(StringComparer.Ordinal)
    {
        ["device_1"] = "3c:ec:ef:4c:4f:54",
        ["name"] = "world",
        ["empty"] = "",
        ["workflowid"] = "wf-123",
        ["list"] = new List<object?> { "a", "b", "c" },
        ["nums"] = new List<object?> { 3L, 1L, 2L },
        ["emptylist"] = new List<object?>(),
        ["map"] = new Dictionary<string, object?> { ["b"] = "2", ["a"] = "1", ["c"] = "3" },
        ["nested"] = new Dictionary<string, object?>
        {
            ["inner"] = new Dictionary<string, object?> { ["leaf"] = "deep", ["list"] = new List<object?> { "x", "y" } },
        },
        ["nilvalue"] = null,
        ["count"] = 3L,
        ["zero"] = 0L,
        ["pi"] = 3.5,
        ["yes"] = true,
        ["no"] = false,
    };

    public static string Render(GoTemplate language, string template, Dictionary<string, object?>? data = null)
    {
        GoTemplate.Output result = language.Render(template, data ?? Data());
        Assert.True(result.Errors.Count == 0, $"unexpected errors: {string.Join("; ", result.Errors)}");
        Assert.NotNull(result.Text);
        return result.Text;
    }

    public static TemplateError RenderError(GoTemplate language, string template, Dictionary<string, object?>? data = null)
    {
        GoTemplate.Output result = language.Render(template, data ?? Data());
        Assert.Null(result.Text);
        Assert.NotEmpty(result.Errors);
        return result.Errors[0];
    }
}
