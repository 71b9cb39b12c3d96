using DurableWorkflows.GoTemplates.Funcs;
using DurableWorkflows.GoTemplates.Sprig;

namespace DurableWorkflows.GoTemplates.Tests;

/// <summary>A template is configured as Go's is: <c>Funcs(FuncMap)</c> adds functions, <c>Option(...)</c> sets options.</summary>
public sealed class GoTemplateOptionTests
{
    private static readonly Dictionary<string, object?> Dot = new(StringComparer.Ordinal)
    {
        ["name"] = "world",
        ["labels"] = new Dictionary<string, string> { ["a"] = "1" },
    };

    private static string? Text(GoTemplate template, string text) => template.Render(text, Dot).Text;

    [Fact]
    public void New_GoBuiltinsOnly_SprigIsNotDefined()
    {
        GoTemplate plain = GoTemplate.New();
        Assert.Equal("5", Text(plain, "{{len .name}}"));
        TemplateError error = Assert.Single(plain.Render("{{upper .name}}", Dot).Errors);
        Assert.Equal("function \"upper\" not defined", error.Message);
        Assert.Equal(new SourceLocation(1, 3), error.Location);
    }

    [Fact]
    public void Funcs_AddsAMap_AndALaterFunctionReplacesOneOfTheSameName()
    {
        GoTemplate sprig = GoTemplate.New().Funcs(SprigFunctions.FuncMap);
        Assert.Equal("WORLD", Text(sprig, "{{upper .name}}"));

        var shout = new FuncMap([new GoFunction("upper", [ParamType.String], null, a => (string)a[0]! + "!")]);
        Assert.Equal("world!", Text(sprig.Funcs(shout), "{{upper .name}}"));
        Assert.Equal("WORLD", Text(sprig, "{{upper .name}}"));
    }

    [Fact]
    public void MissingKey_Default_PrintsNoValue()
    {
        Assert.Equal("<no value>", Text(GoTemplate.New(), "{{.missing}}"));
        Assert.Equal("<no value>", Text(GoTemplate.New().Option("missingkey=invalid"), "{{.labels.b}}"));
    }

    [Fact]
    public void MissingKey_Zero_TheMapsZeroValue() =>
        Assert.Equal("[]", Text(GoTemplate.New().Option("missingkey=zero"), "[{{.labels.b}}]"));

    [Fact]
    public void MissingKey_Error_AnErrorAtTheKey()
    {
        GoTemplate strict = GoTemplate.New().Option("missingkey=error");
        TemplateError error = Assert.Single(strict.Render("x {{.labels.b}}", Dot).Errors);
        Assert.Equal("map has no entry for key \"b\" (at <.labels.b>)", error.Message);
        Assert.Equal(new SourceLocation(1, 3), error.Location);
    }

    [Fact]
    public void BareNames_OffAsInGo_OnReadsTheVariable()
    {
        Assert.Equal("function \"name\" not defined", Assert.Single(GoTemplate.New().Render("{{name}}", Dot).Errors).Message);
        Assert.Equal("world", Text(GoTemplate.New().Option("barenames=variables"), "{{name}}"));
    }

    [Fact]
    public void Option_Unknown_IsRefusedNamingIt() =>
        Assert.Contains("unrecognized option: missingkey=maybe", Assert.Throws<ArgumentException>(() => GoTemplate.New().Option("missingkey=maybe")).Message, StringComparison.Ordinal);
}
