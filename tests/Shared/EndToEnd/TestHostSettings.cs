using DurableWorkflows.Server;

namespace DurableWorkflows.Testing;

/// <summary>The settings of the hosts and <c>dwf</c> processes of the tests.</summary>
internal static class TestHostSettings
{
    /// <summary>The settings the tests shrink, as configuration keys; <c>dwf run</c> processes get them as environment variables.</summary>
    public static IReadOnlyDictionary<string, string?> For(string dataDirectory) => new Dictionary<string, string?>
    {
        [$"{DurableWorkflowsOptions.SectionName}:Backend"] = BackendNames.Memory,
        [$"{DurableWorkflowsOptions.SectionName}:DataDirectory"] = dataDirectory,
        // The private engine of the tests may refuse privileged containers; the container tests cover that flag.
        [$"{DurableWorkflowsOptions.SectionName}:Docker:Privileged"] = "false",
        [$"{DurableWorkflowsOptions.SectionName}:Docker:StopGracePeriodSeconds"] = "1",
        // These tests tell from Docker's own start events when an action ran, and a container started ahead is started
        // before its action's turn (by its waiter): the container tests (StartAheadTests) cover starting ahead.
        [$"{DurableWorkflowsOptions.SectionName}:Docker:StartAhead"] = "false",
        [$"{DurableWorkflowsOptions.SectionName}:Docker:MaxWaitSeconds"] = "5",
        [$"{DurableWorkflowsOptions.SectionName}:Docker:PollIntervalMilliseconds"] = "50",
        [$"{DurableWorkflowsOptions.SectionName}:Docker:PullPolicy"] = "never",
    };
}
