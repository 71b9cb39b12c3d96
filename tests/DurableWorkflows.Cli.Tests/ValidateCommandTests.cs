using System.CommandLine;
using DurableWorkflows.Testing;

namespace DurableWorkflows.Cli.Tests;

/// <summary><c>dwf validate</c> through the real entry point, with temp files.</summary>
public sealed class ValidateCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dwf-validate-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string File(string name, string text)
    {
        string path = Path.Combine(_dir, name);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    private static async Task<(int Code, string Out, string Err)> Dwf(params string[] args)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var output = new StringWriter();
        var error = new StringWriter();
        int code = await Program.RunAsync(args, new InvocationConfiguration { Output = output, Error = error }, cts.Token);
        return (code, output.ToString(), error.ToString());
    }

    [Fact(Timeout = 30_000)]
    public async Task Validate_ValidTemplate_ExitsZeroSilently()
    {
        string path = File("hello.yaml", TemplateFixtures.HelloWorld);

        var (code, output, error) = await Dwf("validate", path, "--var", "device_1=08:00:27:00:00:01");

        Assert.Equal((0, "", ""), (code, output, error));
    }

    [Fact(Timeout = 30_000)]
    public async Task Validate_InvalidTemplate_ExitsOneWithFileLineColumnErrors()
    {
        string path = File("seed.yaml", TemplateFixtures.Seed);

        var (code, output, error) = await Dwf("validate", path);

        Assert.Equal(1, code);
        Assert.Equal("", output);
        string[] lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith($"{path}:6:13: missing variable \"provisioner1\"", lines[0], StringComparison.Ordinal);
        Assert.StartsWith($"{path}:16:14: missing variable \"provisioner1\"", lines[1], StringComparison.Ordinal);
        Assert.StartsWith($"{path}:25:13: missing variable \"device_1\"", lines[2], StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task Validate_SchemaErrors_ExitsOne()
    {
        string path = File("bad.yaml", "version: \"0.1\"\nname: x\nglobal_timeout: 5\ntasks:\n  - name: t\n    worker: w\n    enviroment: {}\n    actions: []\n");

        var (code, _, error) = await Dwf("validate", path);

        Assert.Equal(1, code);
        Assert.Contains($"{path}:7:5: unknown key 'enviroment' in task; did you mean 'environment'?", error, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task Validate_Print_WritesNormalisedTemplateThatValidates()
    {
        string path = File("seed.yaml", TemplateFixtures.Seed);

        var (code, output, _) = await Dwf("validate", path, "--var", "provisioner1=p1", "--var", "device_1=d1", "--print");

        Assert.Equal(0, code);
        Assert.Contains("worker: d1", output, StringComparison.Ordinal);
        Assert.Contains("restart: on-failure:3", output, StringComparison.Ordinal);
        Assert.Contains("MIRROR_HOST: \"<MIRROR_HOST_IP>\"", output, StringComparison.Ordinal);
        string printed = File("printed.yaml", output);
        Assert.Equal(0, (await Dwf("validate", printed)).Code);
    }

    [Fact(Timeout = 30_000)]
    public async Task Validate_VarsFile_YamlAndJsonWithVarOverriding()
    {
        string path = File("seed.yaml", TemplateFixtures.Seed);
        string yaml = File("vars.yaml", "provisioner1: p1\ndevice_1: from-file\n");
        string json = File("vars.json", "{\"provisioner1\": \"p1\", \"device_1\": \"d1\"}");

        Assert.Equal(0, (await Dwf("validate", path, "--vars-file", json)).Code);
        var (code, output, _) = await Dwf("validate", path, "--vars-file", yaml, "--var", "device_1=from-var", "--print");
        Assert.Equal(0, code);
        Assert.Contains("worker: from-var", output, StringComparison.Ordinal);
    }

    [Theory(Timeout = 30_000)]
    [InlineData("validate")]
    [InlineData("validate", "{dir}/missing.yaml")]
    [InlineData("validate", "{hello}", "--var", "device_1")]
    [InlineData("validate", "{hello}", "--var", "=x")]
    [InlineData("validate", "{hello}", "--vars-file", "{dir}/missing.yaml")]
    [InlineData("validate", "{hello}", "--vars-file", "{badvars}")]
    [InlineData("validate", "{hello}", "--bogus")]
    [InlineData("validate", "{hello}", "{hello}")]
    [InlineData("frobnicate")]
    [InlineData]
    public async Task Validate_UsageError_ExitsTwo(params string[] args)
    {
        string hello = File("hello.yaml", TemplateFixtures.HelloWorld);
        string badVars = File("badvars.yaml", "device_1: [a, b]\n");
        string[] resolved = [.. args.Select(a => a.Replace("{dir}", _dir, StringComparison.Ordinal)
            .Replace("{hello}", hello, StringComparison.Ordinal).Replace("{badvars}", badVars, StringComparison.Ordinal))];

        var (code, output, error) = await Dwf(resolved);

        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.StartsWith("dwf: ", error, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task Help_ListsValidate_ExitsZero()
    {
        var (code, output, _) = await Dwf("--help");

        Assert.Equal(0, code);
        Assert.Contains("validate", output, StringComparison.Ordinal);
    }
}
