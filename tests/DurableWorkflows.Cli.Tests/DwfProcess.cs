using System.Diagnostics;
using System.Text;
using System.Text.Json;
using DurableWorkflows.Core.Contracts;
using DurableWorkflows.Testing;

namespace DurableWorkflows.Cli.Tests;

/// <summary>
/// <c>dwf</c> as a separate process: the dwf.dll built with this test assembly (the Cli project reference copies it,
/// with its runtimeconfig, next to the tests), run by <c>dotnet</c>, in a scratch folder, with the test settings of
/// <see cref="TestHostSettings"/> as environment variables.
/// </summary>
public sealed class DwfProcess : IDisposable
{
    private readonly Process process;
    private readonly StringBuilder stdout = new();
    private readonly StringBuilder stderr = new();
    private readonly string scratch;

    private DwfProcess(Process process, string scratch)
    {
        this.process = process;
        this.scratch = scratch;
    }

    public static string DwfDll => Path.Combine(AppContext.BaseDirectory, "dwf.dll");

    public int Id => process.Id;

    public string Stdout
    {
        get
        {
            lock (stdout)
            {
                return stdout.ToString();
            }
        }
    }

    public string Stderr
    {
        get
        {
            lock (stderr)
            {
                return stderr.ToString();
            }
        }
    }

    /// <summary>Starts <c>dwf run</c> on <paramref name="template"/> (written to a file in a scratch folder) with <paramref name="arguments"/> after it.</summary>
    public static DwfProcess Run(string template, params string[] arguments) => RunWith(new Dictionary<string, string>(), template, arguments);

    /// <summary>As <see cref="Run"/>, with <paramref name="settings"/> (configuration keys) on top of the test settings.</summary>
    public static DwfProcess RunWith(IReadOnlyDictionary<string, string> settings, string template, params string[] arguments)
    {
        string scratch = NewScratch();
        string file = Path.Combine(scratch, "workflow.yaml");
        File.WriteAllText(file, template);
        return Launch(
            scratch,
            settings.ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => (string?)s.Value),
            ["run", file, .. arguments]);
    }

    /// <summary>Starts <c>dwf</c> with <paramref name="arguments"/> in a scratch folder, <paramref name="environment"/> on top of the test settings (null removes a variable).</summary>
    public static DwfProcess Start(IReadOnlyDictionary<string, string?> environment, params string[] arguments) =>
        Launch(NewScratch(), environment, arguments);

    private static string NewScratch()
    {
        string scratch = Path.Combine(Path.GetTempPath(), "dwf-e2e-cli-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(scratch);
        return scratch;
    }

    private static DwfProcess Launch(string scratch, IReadOnlyDictionary<string, string?> environment, string[] arguments)
    {
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet)
        {
            WorkingDirectory = scratch,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in (string[])[DwfDll, .. arguments])
        {
            start.ArgumentList.Add(a);
        }

        foreach ((string key, string? value) in TestHostSettings.For(Path.Combine(scratch, "data")))
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        foreach ((string key, string? value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start };
        var dwf = new DwfProcess(process, scratch);
        process.OutputDataReceived += (_, e) => Append(dwf.stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(dwf.stderr, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return dwf;
    }

    /// <summary>Waits for the exit (bounded by <paramref name="cancellationToken"/>) and returns the exit code.</summary>
    public async Task<int> WaitForExitAsync(CancellationToken cancellationToken)
    {
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"dwf did not exit in time; stderr so far:\n{Stderr}");
        }

        return process.ExitCode;
    }

    /// <summary>Sends SIGINT, as Ctrl-C in a terminal does.</summary>
    public async Task InterruptAsync(CancellationToken cancellationToken)
    {
        using var kill = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync(cancellationToken);
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>The <c>--json</c> output: its top-level <c>state</c> and <c>id</c>.</summary>
    public (WorkflowState State, string Id, JsonElement Json) ReadJson()
    {
        JsonElement json;
        try
        {
            json = JsonDocument.Parse(Stdout).RootElement.Clone();
        }
        catch (JsonException e)
        {
            Assert.Fail($"dwf --json did not print one JSON object ({e.Message}); stdout:\n{Stdout}\nstderr:\n{Stderr}");
            throw;
        }

        Assert.Equal(JsonValueKind.Object, json.ValueKind);
        return (Enum.Parse<WorkflowState>(json.GetProperty("state").GetString()!), json.GetProperty("id").GetString()!, json);
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }

        process.Dispose();
        try
        {
            Directory.Delete(scratch, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static void Append(StringBuilder sink, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (sink)
        {
            sink.AppendLine(line);
        }
    }
}
