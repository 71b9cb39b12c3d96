using System.CommandLine;

namespace DurableWorkflows.Cli.Tests;

/// <summary>Runs <c>dwf</c> in this process and captures what it writes.</summary>
public static class Dwf
{
    public static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(100));
        int code = await Program.RunAsync(args, new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = null }, cts.Token);
        return (code, output.ToString(), error.ToString());
    }
}
