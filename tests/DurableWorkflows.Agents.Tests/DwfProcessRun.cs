using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace DurableWorkflows.Agents.Tests;

/// <summary>
/// One <c>dwf</c> command as a real process (the dwf.dll built with the tests, run by <c>dotnet</c>), with the test
/// engine's settings as environment variables; everything it writes is kept. <see cref="Kill"/> is SIGKILL,
/// <see cref="TerminateAsync"/> SIGTERM.
/// </summary>
public sealed class DwfProcessRun : IDisposable
{
    private readonly StringBuilder output = new();
    private readonly Process process;

    private DwfProcessRun(Process process) => this.process = process;

    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    public bool HasExited => process.HasExited;

    public int ExitCode => process.ExitCode;

    public static DwfProcessRun Start(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        return StartProgram(dotnet, workingDirectory, environment, [Path.Combine(AppContext.BaseDirectory, "dwf.dll"), .. arguments]);
    }

    /// <summary>Any program as a real process, kept as a dwf one is (configuration keys' <c>:</c> become <c>__</c>).</summary>
    public static DwfProcessRun StartProgram(string program, string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        Directory.CreateDirectory(workingDirectory);
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach ((string key, string value) in environment)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var run = new DwfProcessRun(new Process { StartInfo = start });
        run.process.OutputDataReceived += (_, e) => run.Append(e.Data);
        run.process.ErrorDataReceived += (_, e) => run.Append(e.Data);
        run.process.Start();
        run.process.BeginOutputReadLine();
        run.process.BeginErrorReadLine();
        return run;
    }

    /// <summary>Waits (bounded) until the process has written <paramref name="text"/>.</summary>
    public async Task WaitForOutputAsync(string text, CancellationToken cancellationToken)
    {
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (process.HasExited)
            {
                Assert.Fail($"{process.StartInfo.FileName} exited ({process.ExitCode}) before writing '{text}':\n{Output}");
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    public void Kill()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
    }

    /// <summary>SIGTERM, then the exit code once it has exited (bounded).</summary>
    public async Task<int> TerminateAsync(CancellationToken cancellationToken)
    {
        Assert.Equal(0, SendSignal(process.Id, 15));
        await process.WaitForExitAsync(cancellationToken);
        return process.ExitCode;
    }

    public void Dispose()
    {
        Kill();
        process.Dispose();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }
}
