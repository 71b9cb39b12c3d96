using DurableWorkflows.Core.Templates;
using DurableWorkflows.Core.Templates.Go;

namespace DurableWorkflows.Core.Tests;

/// <summary>Shared data and helpers of the Go template tests.</summary>
internal static class GoTemplateTestData
{
    /// <summary>Dot as Tinkerbell builds it: the workflow's variables as top-level keys, plus a few typed values.</summary>
    public static Dictionary<string, object?> Data() => new(StringComparer.Ordinal)
    {
        ["device_1"] = "3c:ec:ef:4c:4f:54",
        ["name"] = "world",
        ["empty"] = "",
        ["workflowid"] = "wf-123",
        ["list"] = new List<object?> { "a", "b", "c" },
        ["nums"] = new List<object?> { 3L, 1L, 2L },
        ["emptylist"] = new List<object?>(),
        ["map"] = new Dictionary<string, object?> { ["b"] = "2", ["a"] = "1", ["c"] = "3" },
        ["nested"] = new Dictionary<string, object?>
        {
            ["inner"] = new Dictionary<string, object?> { ["leaf"] = "deep", ["list"] = new List<object?> { "x", "y" } },
        },
        ["nilvalue"] = null,
        ["count"] = 3L,
        ["zero"] = 0L,
        ["pi"] = 3.5,
        ["yes"] = true,
        ["no"] = false,
    };

    public static string Render(string template, Dictionary<string, object?>? data = null)
    {
        GoTemplate.Output result = GoTemplate.Render(template, data ?? Data());
        Assert.True(result.Errors.Count == 0, $"unexpected errors: {string.Join("; ", result.Errors)}");
        Assert.NotNull(result.Text);
        return result.Text;
    }

    public static TemplateError RenderError(string template, Dictionary<string, object?>? data = null)
    {
        GoTemplate.Output result = GoTemplate.Render(template, data ?? Data());
        Assert.Null(result.Text);
        Assert.NotEmpty(result.Errors);
        return result.Errors[0];
    }

    /// <summary>tink's example Hardware object (config/crd/examples/hardware.yaml), as tink ships it.</summary>
    public const string ExampleHardwareYaml = """
        apiVersion: "tinkerbell.org/v1alpha1"
        kind: Hardware
        metadata:
          name: sm01
          namespace: default
        spec:
          disks:
            - device: /dev/nvme0n1
          metadata:
            facility:
              facility_code: onprem
            manufacturer:
              slug: supermicro
            instance:
              userdata: ""
              hostname: "sm01"
              id: "3c:ec:ef:4c:4f:54"
              operating_system:
                distro: "ubuntu"
                os_slug: "ubuntu_20_04"
                version: "20.04"
          interfaces:
            - dhcp:
                arch: x86_64
                hostname: sm01
                ip:
                  address: 172.16.10.100
                  gateway: 172.16.10.1
                  netmask: 255.255.255.0
                lease_time: 86400
                mac: 3c:ec:ef:4c:4f:54
                name_servers:
                  - 172.16.10.1
                  - 10.1.1.11
                uefi: true
              netboot:
                allowPXE: true
                allowWorkflow: true
        """;

    public static HardwareRecord ExampleHardware()
    {
        HardwareParseResult parsed = HardwareRecord.Parse(ExampleHardwareYaml);
        Assert.True(parsed.Succeeded, string.Join("; ", parsed.Errors));
        return parsed.Record!;
    }

    /// <summary>Dot as Tinkerbell's workflow controller builds it: the hardware map plus <c>Hardware</c>.</summary>
    public static Dictionary<string, object?> HardwareData(HardwareRecord? record = null) => new(StringComparer.Ordinal)
    {
        ["device_1"] = "3c:ec:ef:4c:4f:54",
        ["Hardware"] = (record ?? ExampleHardware()).ToTemplateData(),
    };
}
