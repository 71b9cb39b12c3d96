using System.Collections;
using System.Runtime.InteropServices;

namespace DurableWorkflows.Cli.Common;

/// <summary>
/// The generation-0 budget of <c>dwf serve</c>. The .NET GC sizes generation 0 from the CPU's largest cache (4/5 of
/// it, then 5/8), so a server's memory grew with the machine it ran on: with a 260 MiB L3 a warm server held 232 MiB
/// (118 MB of it anonymous) against 166 MiB with a 4 MiB budget, and 100 workflows at once peaked at 276-280 MiB
/// (docs/BENCHMARKS.md). The budget can only be set in the environment (<c>DOTNET_GCgen0size</c> has no runtimeconfig
/// name) before the runtime starts, so <c>dwf serve</c> on Linux starts itself again in place (execve: the same
/// process id, arguments, output and signals) with it set, unless it is set already (<c>0</c> keeps the runtime's own).
/// </summary>
internal static partial class ServerGcBudget
{
    public const string Variable = "DOTNET_GCgen0size";

    /// <summary>4 MiB.</summary>
    public const string Budget = "0x400000";

    /// <summary>For <c>dwf serve</c> on Linux without the variable: replaces this process with itself, the variable set; returns only when it did not.</summary>
    public static void Apply(string[] args)
    {
        if (!OperatingSystem.IsLinux() || !args.Contains("serve", StringComparer.Ordinal)
            || Environment.GetEnvironmentVariable(Variable) is not null || Environment.GetEnvironmentVariable("COMPlus_GCgen0size") is not null
            || Program.BuildRootCommand().Parse(args).CommandResult.Command.Name != "serve")
        {
            return;
        }

        string[] argv;
        try
        {
            // This process's own arguments as the kernel has them (the dotnet host's included), each ended by a NUL.
            argv = File.ReadAllText("/proc/self/cmdline").TrimEnd('\0').Split('\0');
        }
        catch (IOException)
        {
            return;
        }

        var environment = Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
            .Select(e => $"{e.Key}={e.Value}")
            .Append($"{Variable}={Budget}");
        // Returns only when the exec failed: the server then runs with the runtime's own budget.
        _ = Execve("/proc/self/exe", [.. argv, null], [.. environment, null]);
    }

    [LibraryImport("libc", EntryPoint = "execve", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Execve(string path, string?[] argv, string?[] envp);
}
