using DurableWorkflows.GoTemplates.Sprig;
using static DurableWorkflows.GoTemplates.Tests.GoTemplateTestData;

namespace DurableWorkflows.GoTemplates.Tests;

/// <summary>sprig's env and expandenv are off unless the operator allows them: a template must not read the server's secrets.</summary>
public class GoTemplateEnvironmentTests
{
    [Theory]
    [InlineData("{{ env \"PATH\" }}")]
    [InlineData("{{ expandenv \"path: $PATH\" }}")]
    public void Environment_OffByDefault_IsAnErrorNamingTheSetting(string template)
    {
        Assert.False(SprigNonHermetic.EnvironmentAllowed);
        Assert.Contains(SprigNonHermetic.EnvironmentSetting, RenderError(template).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Environment_Allowed_ReadsTheVariables()
    {
        SprigNonHermetic.EnvironmentAllowed = true;
        try
        {
            string path = Environment.GetEnvironmentVariable("PATH") ?? "";
            Assert.Equal(path, Render("{{ env \"PATH\" }}"));
            Assert.Equal($"path: {path}, none: .", Render("{{ expandenv \"path: $PATH, none: ${NO_SUCH_VARIABLE_HERE}.\" }}"));
        }
        finally
        {
            SprigNonHermetic.EnvironmentAllowed = false;
        }
    }
}
