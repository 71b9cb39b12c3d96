using DurableWorkflows.Core.Hardware;
using DurableWorkflows.Core.Templates;
using DurableWorkflows.GoTemplates;
using DurableWorkflows.Testing;

namespace DurableWorkflows.Core.Tests;

/// <summary>The Go template tests of Tinkerbell's configuration: its language (sprig, formatPartition) and its Hardware object.</summary>
internal static class GoTemplateTestData
{
    public static Dictionary<string, object?> Data() => GoTemplateData.Data();

    public static string Render(string template, Dictionary<string, object?>? data = null) => GoTemplateData.Render(TemplateRenderer.Language, template, data);

    public static TemplateError RenderError(string template, Dictionary<string, object?>? data = null) => GoTemplateData.RenderError(TemplateRenderer.Language, template, data);

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
