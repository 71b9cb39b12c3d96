using DurableWorkflows.Core.Templates;
using DurableWorkflows.GoTemplates;
using DurableWorkflows.Testing;

namespace DurableWorkflows.Core.Tests.Templates;

/// <summary>
/// The template language against the real Go (<see cref="GoOracle"/>): every case of the corpus
/// (<c>Templates/Differential/*.txt</c>, one template per line, <c>#</c> comments) renders byte for byte as Go renders
/// it with the same data, or fails where Go fails.
/// </summary>
public sealed class DifferentialTests
{
    public static IReadOnlyList<(string Name, string Template)> Corpus()
    {
        var cases = new List<(string, string)>();
        foreach (string file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Templates", "Differential"), "*.txt").Order(StringComparer.Ordinal))
        {
            string[] lines = File.ReadAllLines(file);
            for (int i = 0; i < lines.Length; i++)
            {
                if (lines[i].Length > 0 && !lines[i].StartsWith('#'))
                {
                    cases.Add(($"{Path.GetFileName(file)}:{i + 1}", lines[i]));
                }
            }
        }

        return cases;
    }

    [Fact]
    public void EveryFunctionTinkOffers_IsDefined()
    {
        IReadOnlyList<string> names = GoOracle.FunctionNames();

        Assert.True(names.Count > 200, $"Go lists {names.Count} functions");
        string[] missing = [.. names.Where(n => !TemplateRenderer.Language.IsFunction(n))];
        Assert.True(missing.Length == 0, $"not defined here: {string.Join(", ", missing)}");
    }

    [Fact]
    public void Corpus_RendersAsGoRendersIt() => AssertAsGo(Corpus());

    [Fact]
    public void GeneratedTemplates_RenderAsGoRendersThem() => AssertAsGo(GeneratedTemplates.Cases(8000));

    private static void AssertAsGo(IReadOnlyList<(string Name, string Template)> cases)
    {
        Dictionary<string, object?> data = GoTemplateData.Data();
        IReadOnlyList<(string? Output, string? Error)> go = GoOracle.Render(cases, data);
        var differences = new List<string>();
        for (int i = 0; i < cases.Count; i++)
        {
            GoTemplate.Output ours = TemplateRenderer.Language.Render(cases[i].Template, GoTemplateData.Data());
            bool same = go[i].Output is { } expected ? ours.Text == expected : ours.Text is null;
            if (!same)
            {
                differences.Add($"{cases[i].Name}: {cases[i].Template}\n    go:   {(go[i].Output is { } o ? Show(o) : "error: " + go[i].Error)}\n    ours: {(ours.Text is { } t ? Show(t) : "error: " + string.Join("; ", ours.Errors))}");
            }
        }

        Assert.True(differences.Count == 0, $"{differences.Count} of {cases.Count} cases differ from Go:\n{string.Join("\n", differences.Take(60))}");
    }

    private static string Show(string text) => System.Text.Json.JsonSerializer.Serialize(text, new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
}
