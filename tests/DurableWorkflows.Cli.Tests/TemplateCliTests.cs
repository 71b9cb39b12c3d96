using DurableWorkflows.Server.Tests;

namespace DurableWorkflows.Cli.Tests;

/// <summary>
/// <c>dwf template</c> against a real server, and Tinkerbell's objects read by <c>dwf validate</c>: a file of a Template,
/// a Hardware and a Workflow object (tink's documentation puts them so) validates as tink would run it.
/// </summary>
public sealed class TemplateCliTests(ServerFixture server) : IClassFixture<ServerFixture>, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("dwf-template-cli-").FullName;

    private string Url => server.Http.BaseAddress!.ToString();

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static string TemplateObject(string name, string worker = "{{.device_1}}") => $$$"""
        apiVersion: "tinkerbell.org/v1alpha1"
        kind: Template
        metadata:
          name: {{{name}}}
        spec:
          data: |
            version: "0.1"
            name: {{{name}}}
            global_timeout: 60
            tasks:
              - name: "os-installation"
                worker: "{{{worker}}}"
                actions:
                  - name: "disk"
                    image: dwf-busybox:latest
                    timeout: 30
                    command: ["echo", "{{ index .Hardware.Disks 0 }}"]
        """;

    [Fact(Timeout = 90_000)]
    public async Task Template_PutGetListDelete_AgainstServer()
    {
        string name = $"cli-{Guid.NewGuid():N}"[..16];
        string file = Write("template.yaml", TemplateObject(name));
        try
        {
            var (putCode, putOut, putError) = await Dwf.RunAsync("template", "put", name, file, "--server", Url);
            var (againCode, againOut, _) = await Dwf.RunAsync("template", "put", name, file, "--server", Url);
            var (getCode, getOut, _) = await Dwf.RunAsync("template", "get", name, "--server", Url);
            var (listCode, listOut, _) = await Dwf.RunAsync("template", "list", "--server", Url);
            var (deleteCode, deleteOut, _) = await Dwf.RunAsync("template", "delete", name, "--server", Url);
            var (goneCode, _, goneError) = await Dwf.RunAsync("template", "get", name, "--server", Url);

            Assert.True(putCode == 0, putError);
            Assert.Equal($"template {name}: created", putOut.Trim());
            Assert.Equal((0, $"template {name}: replaced"), (againCode, againOut.Trim()));
            Assert.Equal((0, TemplateObject(name)), (getCode, getOut));
            Assert.Equal(0, listCode);
            Assert.Contains(name, listOut, StringComparison.Ordinal);
            Assert.Equal((0, $"template {name}: deleted"), (deleteCode, deleteOut.Trim()));
            Assert.Equal(1, goneCode);
            Assert.Contains($"No template named '{name}'", goneError, StringComparison.Ordinal);
        }
        finally
        {
            await Dwf.RunAsync("template", "delete", name, "--server", Url);
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task Validate_TemplateHardwareAndWorkflowObjectsInOneFile_RendersAsTinkWould()
    {
        string file = Write("tink.yaml", string.Join("\n---\n",
            TemplateObject("ubuntu"),
            HardwareFixtures.Named("sm01"),
            """
            apiVersion: "tinkerbell.org/v1alpha1"
            kind: Workflow
            metadata:
              name: wf1
            spec:
              templateRef: ubuntu
              hardwareRef: sm01
              hardwareMap:
                device_1: 3c:ec:ef:4c:4f:54
            """));

        var (code, output, error) = await Dwf.RunAsync("validate", file, "--print");

        Assert.True(code == 0, error);
        Assert.Contains("3c:ec:ef:4c:4f:54", output, StringComparison.Ordinal);
        Assert.Contains("/dev/nvme0n1", output, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task Validate_TemplateObjectWithAnError_ReportsTheFilesLineAndColumn()
    {
        // The worker's template action is unclosed on the object's line 12 (the template's line 6), column 18.
        string file = Write("broken.yaml", TemplateObject("broken", worker: "{{.device_1"));

        var (code, _, error) = await Dwf.RunAsync("validate", file, "--var", "device_1=02:00:00:00:00:01");

        Assert.Equal(1, code);
        Assert.StartsWith($"{file}:12:", error, StringComparison.Ordinal);
    }

    private string Write(string name, string text)
    {
        string path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }
}
