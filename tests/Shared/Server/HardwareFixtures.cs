namespace DurableWorkflows.Server.Tests;

/// <summary>Hardware records and a template that reads one, for the API and CLI tests.</summary>
internal static class HardwareFixtures
{
    /// <summary>tink's example Hardware object, with two interfaces.</summary>
    public const string Sm01 = """
        apiVersion: "tinkerbell.org/v1alpha1"
        kind: Hardware
        metadata:
          name: sm01
          namespace: default
        spec:
          disks:
            - device: /dev/nvme0n1
          interfaces:
            - dhcp:
                arch: x86_64
                hostname: sm01
                ip:
                  address: 172.16.10.100
                  gateway: 172.16.10.1
                  netmask: 255.255.255.0
                mac: 3c:ec:ef:4c:4f:54
              netboot:
                allowPXE: true
            - dhcp:
                mac: 3c:ec:ef:4c:4f:55
        """;

    /// <summary>Echoes what the template read from the record: the first MAC, the first disk and its first partition.</summary>
    public const string EchoesHardware = """
        version: "0.1"
        name: from-hardware
        global_timeout: 60
        tasks:
          - name: show
            worker: "{{ (index .Hardware.Interfaces 0).DHCP.MAC }}"
            actions:
              - name: echo
                image: dwf-busybox:latest
                timeout: 30
                command: ["sh", "-c", "echo mac={{ (index .Hardware.Interfaces 0).DHCP.MAC }} disk={{ index .Hardware.Disks 0 }} part={{ formatPartition (index .Hardware.Disks 0) 1 }}"]
        """;

    /// <summary><see cref="Sm01"/> named <paramref name="name"/>, with <paramref name="endpoint"/> as its Docker endpoint annotation when given.</summary>
    public static string Named(string name, string? endpoint = null) => Sm01.Replace(
        "metadata:\n  name: sm01",
        $"metadata:\n  name: {name}" + (endpoint is null ? "" : $"\n  annotations:\n    durableworkflows.io/docker-endpoint: {endpoint}"),
        StringComparison.Ordinal);
}
