using System.CommandLine;
using DurableWorkflows.Cli.Common;
using DurableWorkflows.Testing;

namespace DurableWorkflows.Cli.Tests;

/// <summary><c>dwf validate --hardware FILE</c>: the record is visible to the template as <c>.Hardware</c>.</summary>
public sealed class ValidateHardwareTests : IDisposable
{
    private const string Template = """
        version: "0.1"
        name: hw
        global_timeout: 600
        tasks:
          - name: "os-installation"
            worker: "{{ (index .Hardware.Interfaces 0).DHCP.MAC }}"
            actions:
              - name: "stream"
                image: quay.io/tinkerbell-actions/image2disk:v1.0.0
                timeout: 600
                environment:
                  DEST_DISK: {{ formatPartition ( index .Hardware.Disks 0 ) 1 }}
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("dwf-hw-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        int code = await Program.RunAsync(args, new InvocationConfiguration { Output = output, Error = error }, cts.Token);
        return (code, output.ToString(), error.ToString());
    }

    [Fact(Timeout = 30_000)]
    public async Task Validate_WithHardware_RendersHardwareFields()
    {
        string template = Write("t.yaml", Template);
        string hardware = Write("hw.yaml", TemplateFixtures.ExampleHardwareYaml);

        var (code, output, error) = await RunAsync("validate", template, "--hardware", hardware, "--print");

        Assert.True(code == ExitCodes.Ok, error);
        Assert.Contains("3c:ec:ef:4c:4f:54", output, StringComparison.Ordinal);
        Assert.Contains("/dev/nvme0n1p1", output, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task Validate_WithoutHardware_ReportsMissingHardwareAtItsLine()
    {
        string template = Write("t.yaml", Template);

        var (code, _, error) = await RunAsync("validate", template);

        Assert.Equal(ExitCodes.Failed, code);
        Assert.Contains($"{template}:6:14: missing variable \"Hardware\"", error, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task Validate_BadHardwareFile_IsAUsageErrorWithItsLocation()
    {
        string template = Write("t.yaml", Template);
        string hardware = Write("hw.json", """{"interfaces": [{"dhcp": {"uefi": "yes"}}]}""");

        var (code, _, error) = await RunAsync("validate", template, "--hardware", hardware);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains($"{hardware}:1:35: spec.interfaces[0].dhcp.uefi: expected true or false", error, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task Validate_MissingHardwareFile_IsAUsageError()
    {
        string template = Write("t.yaml", Template);

        var (code, _, error) = await RunAsync("validate", template, "--hardware", Path.Combine(_dir, "nope.yaml"));

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("cannot read hardware record", error, StringComparison.Ordinal);
    }
}
