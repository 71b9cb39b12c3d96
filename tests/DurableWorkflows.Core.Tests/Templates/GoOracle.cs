using System.Diagnostics;
using System.Text.Json;

namespace DurableWorkflows.Core.Tests.Templates;

/// <summary>
/// The real Go: <c>tests/tools/gorender</c> (text/template, missingkey=error, sprig's TxtFuncMap and tink's
/// formatPartition, as tink renders), built once per test run with Debian's Go and sprig in GOPATH mode.
/// </summary>
public static class GoOracle
{
    private static readonly Lazy<string> Binary = new(Build, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Go's output of each template with <paramref name="data"/>, or null where Go fails.</summary>
    public static IReadOnlyList<(string? Output, string? Error)> Render(IReadOnlyList<(string Name, string Template)> cases, object? data)
    {
        ArgumentNullException.ThrowIfNull(cases);
        var start = new ProcessStartInfo(Binary.Value) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        using Process go = Process.Start(start)!;
        Task<string> output = go.StandardOutput.ReadToEndAsync();
        Task<string> error = go.StandardError.ReadToEndAsync();
        go.StandardInput.Write(JsonSerializer.Serialize(cases.Select(c => new { name = c.Name, template = c.Template, data })));
        go.StandardInput.Close();
        Assert.True(go.WaitForExit(120_000), "gorender did not finish in 2 minutes");
        Assert.True(go.ExitCode == 0, $"gorender exited {go.ExitCode}: {error.Result}");
        using JsonDocument results = JsonDocument.Parse(output.Result);
        return [.. results.RootElement.EnumerateArray().Select(r =>
            (r.TryGetProperty("output", out JsonElement o) ? o.GetString() : null, r.TryGetProperty("error", out JsonElement e) ? e.GetString() : null))];
    }

    /// <summary>The functions tink's templates may call beyond Go's built-ins: sprig's <c>TxtFuncMap</c> and <c>formatPartition</c>, as Go lists them.</summary>
    public static IReadOnlyList<string> FunctionNames()
    {
        var start = new ProcessStartInfo(Binary.Value, ["funcs"]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using Process go = Process.Start(start)!;
        string output = go.StandardOutput.ReadToEnd();
        Assert.True(go.WaitForExit(60_000) && go.ExitCode == 0, $"gorender funcs failed: {go.StandardError.ReadToEnd()}");
        return JsonSerializer.Deserialize<string[]>(output)!;
    }

    /// <summary>Whether Go's bcrypt (golang.org/x/crypto/bcrypt, what sprig calls) accepts each password for its hash.</summary>
    public static IReadOnlyList<bool> BcryptMatches(IReadOnlyList<(string Hash, string Password)> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var start = new ProcessStartInfo(Binary.Value, ["bcrypt-check"]) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        using Process go = Process.Start(start)!;
        Task<string> output = go.StandardOutput.ReadToEndAsync();
        Task<string> error = go.StandardError.ReadToEndAsync();
        go.StandardInput.Write(JsonSerializer.Serialize(pairs.Select(p => new { hash = p.Hash, password = p.Password })));
        go.StandardInput.Close();
        Assert.True(go.WaitForExit(120_000), "gorender bcrypt-check did not finish in 2 minutes");
        Assert.True(go.ExitCode == 0, $"gorender bcrypt-check exited {go.ExitCode}: {error.Result}");
        return JsonSerializer.Deserialize<bool[]>(output.Result)!;
    }

    private static string Build()
    {
        string source = Path.Combine(AppContext.BaseDirectory, "GoRender");
        string work = Directory.CreateTempSubdirectory("dwf-gorender-").FullName;
        string binary = Path.Combine(work, "gorender");
        var start = new ProcessStartInfo("go", ["build", "-o", binary, "."]) { WorkingDirectory = source, RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["GOPATH"] = $"{work}:/usr/share/gocode";
        start.Environment["GO111MODULE"] = "off";
        start.Environment["GOCACHE"] = Path.Combine(work, "cache");
        start.Environment["GOFLAGS"] = "";
        Process go;
        try
        {
            go = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("the differential test needs Go with sprig (apt-get install golang-go golang-github-masterminds-sprig-dev; scripts/setup.sh does)", e);
        }

        using (go)
        {
            string text = go.StandardError.ReadToEnd() + go.StandardOutput.ReadToEnd();
            go.WaitForExit();
            if (go.ExitCode != 0)
            {
                throw new InvalidOperationException($"go build of gorender failed (is golang-github-masterminds-sprig-dev installed?):\n{text}");
            }
        }

        return binary;
    }
}
