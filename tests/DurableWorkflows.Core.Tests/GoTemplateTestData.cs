using DurableWorkflows.Core.Hardware;
using DurableWorkflows.Core.Templates;
using DurableWorkflows.GoTemplates;
using DurableWorkflows.Testing;

namespace DurableWorkflows.Core.Tests;

/// <summary>The Go template tests of Tinkerbell's configuration: its language (sprig, formatPartition) and its Hardware object.</summary>
internal static class GoTemplateTestData
{
    public static Dictionary<string, object?> Data() => GoTemplateData.Data();

    public static string Render(string template, Dictionary<string, object?>? data = null) => GoTemplateData.Render(TemplateRenderer.Language, template, data);

    public static TemplateError RenderError(string template, Dictionary<string, object?>? data = null) => GoTemplateData.RenderError(TemplateRenderer.Language, template, data);

    public const string ExampleHardwareYaml = TemplateFixtures.ExampleHardwareYaml;

    public static HardwareRecord ExampleHardware()
    {
        HardwareParseResult parsed = HardwareRecord.Parse(ExampleHardwareYaml);
        Assert.True(parsed.Succeeded, string.Join("; ", parsed.Errors));
        return parsed.Record!;
    }

    /// <summary>Dot as Tinkerbell's workflow controller builds it: the hardware map plus <c>Hardware</c>.</summary>
    public static Dictionary<string, object?> HardwareData(HardwareRecord? record = null) => new(StringComparer.Ordinal)
    {
        ["device_1"] = "3c:ec:ef:4c:4f:54",
        ["Hardware"] = (record ?? ExampleHardware()).ToTemplateData(),
    };
}
