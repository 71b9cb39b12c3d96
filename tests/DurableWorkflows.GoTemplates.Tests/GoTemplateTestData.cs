using DurableWorkflows.GoTemplates.Sprig;
using DurableWorkflows.Testing;

namespace DurableWorkflows.GoTemplates.Tests;

/// <summary>The language as tink configures it, less its own formatPartition: sprig, missingkey=error, and our bare names.</summary>
internal static class GoTemplateTestData
{
    public static GoTemplate Language { get; } = GoTemplate.New().Funcs(SprigFunctions.FuncMap).Option("missingkey=error", "barenames=variables");

    public static Dictionary<string, object?> Data() => GoTemplateData.Data();

    public static string Render(string template, Dictionary<string, object?>? data = null) => GoTemplateData.Render(Language, template, data);

    public static TemplateError RenderError(string template, Dictionary<string, object?>? data = null) => GoTemplateData.RenderError(Language, template, data);
}
