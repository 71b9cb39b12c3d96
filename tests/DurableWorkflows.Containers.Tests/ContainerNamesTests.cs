using DurableWorkflows.Core.Contracts;

namespace DurableWorkflows.Containers.Tests;

public sealed class ContainerNamesTests
{
    [Fact]
    public void Action_SameParts_SameName()
    {
        Assert.Equal(
            ContainerNames.Action("wf-1", "disk", "wipe", 2, ContainerRole.Action),
            ContainerNames.Action("wf-1", "disk", "wipe", 2, ContainerRole.Action));
    }

    [Fact]
    public void Action_PartsThatJoinAlike_DifferentNames()
    {
        Assert.NotEqual(
            ContainerNames.Action("wf", "a-b", "c", 1, ContainerRole.Action),
            ContainerNames.Action("wf", "a", "b-c", 1, ContainerRole.Action));
        Assert.NotEqual(
            ContainerNames.Action("wf", "t", "a b", 1, ContainerRole.Action),
            ContainerNames.Action("wf", "t", "a/b", 1, ContainerRole.Action));
        Assert.NotEqual(
            ContainerNames.Action("wf", "t", "a", 1, ContainerRole.Action),
            ContainerNames.Action("wf", "t", "a", 1, ContainerRole.Handler));
        Assert.NotEqual(ContainerNames.Service("wf", "x-1"), ContainerNames.Action("wf", "svc", "x", 1, ContainerRole.Action));
    }

    [Theory]
    [InlineData("wf", "stream image", "écrire/disk:1")]
    [InlineData("a very long workflow id that goes on and on and on and on and on and on", "task name that is long too", "action")]
    public void Action_AnyText_DockerSafeAndBounded(string workflowId, string task, string action)
    {
        var name = ContainerNames.Action(workflowId, task, action, 12, ContainerRole.Handler);

        Assert.Matches("^[a-zA-Z0-9][a-zA-Z0-9_.-]+$", name);
        Assert.True(name.Length <= ContainerNames.MaxLength, name);
        Assert.StartsWith("dwf-", name, StringComparison.Ordinal);
    }

    [Fact]
    public void Service_ReadableParts_StayInName()
    {
        Assert.StartsWith("dwf-wf-7-svc-postgres-", ContainerNames.Service("wf-7", "postgres"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("plain-id_1.2", "plain-id_1.2")]
    [InlineData("..", null)]
    [InlineData("a/b", null)]
    public void SafeFileName_Text_KeptOrSanitizedWithHash(string text, string? expected)
    {
        var safe = ContainerNames.SafeFileName(text);

        if (expected is not null)
        {
            Assert.Equal(expected, safe);
        }
        else
        {
            Assert.Matches("^[a-zA-Z0-9_.-]+-[0-9a-f]{8}$", safe);
        }
    }
}
