using DurableWorkflows.Core.Templates;

namespace DurableWorkflows.Core.Tests.Templates;

public class TemplateRulesTests
{
    [Theory]
    [InlineData("1s", 1_000)]
    [InlineData("1m30s", 90_000)]
    [InlineData("500ms", 500)]
    [InlineData("1.5h", 5_400_000)]
    [InlineData("2h45m", 9_900_000)]
    [InlineData("1500us", 1.5)]
    [InlineData("0", 0)]
    [InlineData("0s", 0)]
    public void TryParseDuration_GoSyntax_Parses(string text, double milliseconds)
    {
        Assert.True(TemplateRules.TryParseDuration(text, out var d, out string? error), error);
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), d);
    }

    [Theory]
    [InlineData("", "cannot be empty")]
    [InlineData("10", "has no unit")]
    [InlineData("10x", "unknown unit 'x'")]
    [InlineData("s", "invalid duration")]
    [InlineData("1s2", "without a unit")]
    [InlineData("-1s", "invalid duration")]
    [InlineData("1..2s", "invalid duration")]
    [InlineData("99999999999999h", "too long")]
    public void TryParseDuration_Malformed_SaysWhy(string text, string fragment)
    {
        Assert.False(TemplateRules.TryParseDuration(text, out _, out string? error));
        Assert.Contains(fragment, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(90_000, "1m30s")]
    [InlineData(500, "500ms")]
    [InlineData(300_000, "5m0s")]
    [InlineData(3_600_000, "1h0m0s")]
    [InlineData(1_500, "1.5s")]
    [InlineData(0, "0s")]
    public void FormatDuration_WritesGoSyntax_ThatParsesBack(double milliseconds, string expected)
    {
        var d = TimeSpan.FromMilliseconds(milliseconds);

        Assert.Equal(expected, TemplateRules.FormatDuration(d));
        Assert.True(TemplateRules.TryParseDuration(expected, out var back, out _));
        Assert.Equal(d, back);
    }

    [Theory]
    [InlineData("no", RestartMode.No, 0)]
    [InlineData("on-failure", RestartMode.OnFailure, 3)]
    [InlineData("on-failure:7", RestartMode.OnFailure, 7)]
    public void TryParseRestart_Valid(string text, RestartMode mode, int max)
    {
        Assert.True(TemplateRules.TryParseRestart(text, out var policy, out _));
        Assert.Equal(new RestartPolicy(mode, max), policy);
    }

    [Theory]
    [InlineData("always")]
    [InlineData("unless-stopped")]
    [InlineData("on-failure:")]
    [InlineData("on-failure:-1")]
    [InlineData("on-failure:0")]
    [InlineData("On-Failure")]
    public void TryParseRestart_Invalid(string text)
    {
        Assert.False(TemplateRules.TryParseRestart(text, out _, out string? error));
        Assert.NotNull(error);
    }

    [Theory]
    [InlineData("echo hi", new[] { "echo", "hi" })]
    [InlineData("  sh -c 'echo a b'  ", new[] { "sh", "-c", "echo a b" })]
    [InlineData("a \"b \\\" c\" d\\ e", new[] { "a", "b \" c", "d e" })]
    [InlineData("x''y \"\"", new[] { "xy", "" })]
    public void TrySplitCommand_ShellWords(string text, string[] expected)
    {
        Assert.True(TemplateRules.TrySplitCommand(text, out var words, out _));
        Assert.Equal(expected, words);
    }

    [Theory]
    [InlineData("enviroment", "environment")]
    [InlineData("Environment", "environment")]
    [InlineData("imag", "image")]
    [InlineData("on_failure", "on-failure")]
    [InlineData("timout", "timeout")]
    [InlineData("xyz", null)]
    [InlineData("privileged", null)]
    public void DidYouMean_ClosestKnownKey(string key, string? expected)
    {
        string[] known = ["name", "image", "timeout", "command", "environment", "volumes", "pid", "on-timeout", "on-failure", "retries"];

        Assert.Equal(expected, TemplateRules.DidYouMean(key, known));
    }

    [Theory]
    [InlineData("", "", 0)]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("abc", "", 3)]
    public void Levenshtein_EditDistance(string a, string b, int expected)
    {
        Assert.Equal(expected, TemplateRules.Levenshtein(a, b));
    }

    [Theory]
    [InlineData("a: 1\nb: \"0600\"\nc: true\nd:\ne: ~\n", true)]
    [InlineData("{\"a\": \"1\", \"b\": 0600, \"c\": true}", true)]
    [InlineData("", true)]
    [InlineData("- a\n- b\n", false)]
    [InlineData("a: [1]\n", false)]
    [InlineData("a: [\n", false)]
    public void VariablesFile_Parse_ScalarMapsOnly(string text, bool valid)
    {
        var (variables, error) = VariablesFile.Parse(text);

        Assert.Equal(valid, error is null);
        Assert.Equal(valid, variables is not null);
        if (valid && text.Length > 0)
        {
            Assert.Equal("1", variables!["a"]);
            Assert.Equal("0600", variables["b"]);
            Assert.Equal("true", variables["c"]);
        }
        else if (!valid)
        {
            Assert.Matches(@"^\d+:\d+: ", error);
        }
    }
}
