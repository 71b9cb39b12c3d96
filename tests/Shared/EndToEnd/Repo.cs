namespace DurableWorkflows.Testing;

/// <summary>Paths in the repository this test assembly was built from.</summary>
public static class Repo
{
    /// <summary>The folder holding DurableWorkflows.sln, found upwards from the test assembly.</summary>
    public static string Root { get; } = FindRoot();

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DurableWorkflows.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"DurableWorkflows.sln not found above {AppContext.BaseDirectory}");
    }
}
