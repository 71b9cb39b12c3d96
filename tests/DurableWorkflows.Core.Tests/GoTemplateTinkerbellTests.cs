using DurableWorkflows.Core.Hardware;
using DurableWorkflows.Core.Templates;
using DurableWorkflows.GoTemplates;
using static DurableWorkflows.Core.Tests.GoTemplateTestData;

namespace DurableWorkflows.Core.Tests;

/// <summary>
/// Tinkerbell's documented template examples (docs/Template.md, the workflow controller's tests) rendered against
/// tink's example Hardware object; the expected text is worked out by hand from Go's and sprig's documented behaviour.
/// </summary>
public class GoTemplateTinkerbellTests
{
    [Theory]
    [InlineData("{{ index .Hardware.Disks 0 }}", "/dev/nvme0n1")]
    [InlineData("{{ .Hardware.Disks }}", "[/dev/nvme0n1]")]
    [InlineData("{{ len .Hardware.Disks }}", "1")]
    [InlineData("{{ formatPartition ( index .Hardware.Disks 0 ) 2 }}", "/dev/nvme0n1p2")]
    [InlineData("{{ (index .Hardware.Interfaces 0).DHCP.MAC }}", "3c:ec:ef:4c:4f:54")]
    [InlineData("{{ (index .Hardware.Interfaces 0).DHCP.Hostname }}", "sm01")]
    [InlineData("{{ (index .Hardware.Interfaces 0).DHCP.IP.Address }}", "172.16.10.100")]
    [InlineData("{{ (index .Hardware.Interfaces 0).DHCP.IP.Gateway }}", "172.16.10.1")]
    [InlineData("{{ (index .Hardware.Interfaces 0).DHCP.IP.Netmask }}", "255.255.255.0")]
    [InlineData("{{ (index .Hardware.Interfaces 0).DHCP.IP }}", "{172.16.10.100 255.255.255.0 172.16.10.1 0}")]
    [InlineData("{{ (index .Hardware.Interfaces 0).DHCP.NameServers }}", "[172.16.10.1 10.1.1.11]")]
    [InlineData("{{ (index .Hardware.Interfaces 0).DHCP.TimeServers }}", "[]")]
    [InlineData("{{ (index .Hardware.Interfaces 0).DHCP.VLANID }}|", "|")]
    [InlineData("{{ (index .Hardware.Interfaces 0).DHCP.LeaseTime }}", "86400")]
    [InlineData("{{ (index .Hardware.Interfaces 0).DHCP.UEFI }}", "true")]
    [InlineData("{{ (index .Hardware.Interfaces 0).DHCP.Arch }}", "x86_64")]
    [InlineData("{{ (index .Hardware.Interfaces 0).Netboot.AllowPXE }}", "true")]
    [InlineData("{{ (index .Hardware.Interfaces 0).Netboot.AllowWorkflow }}", "true")]
    [InlineData("{{ (index .Hardware.Interfaces 0).Netboot.IPXE }}", "<nil>")]
    [InlineData("{{ (index .Hardware.Interfaces 0).DisableDHCP }}", "false")]
    [InlineData("{{ .Hardware.Metadata.Instance.Hostname }}", "sm01")]
    [InlineData("{{ .Hardware.Metadata.Instance.ID }}", "3c:ec:ef:4c:4f:54")]
    [InlineData("{{ .Hardware.Metadata.Instance.OperatingSystem.Distro }} {{ .Hardware.Metadata.Instance.OperatingSystem.OsSlug }} {{ .Hardware.Metadata.Instance.OperatingSystem.Version }}", "ubuntu ubuntu_20_04 20.04")]
    [InlineData("{{ .Hardware.Metadata.Facility.FacilityCode }}", "onprem")]
    [InlineData("{{ .Hardware.Metadata.Manufacturer.Slug }}", "supermicro")]
    [InlineData("{{ .Hardware.Metadata.State }}|{{ .Hardware.UserData }}|{{ .Hardware.VendorData }}|", "|||")]
    [InlineData("{{ .Hardware.Metadata.Custom }}", "<nil>")]
    [InlineData("{{ if (index .Hardware.Interfaces 0).Netboot.AllowPXE }}pxe{{ end }}", "pxe")]
    [InlineData("{{ range .Hardware.Interfaces }}{{ .DHCP.MAC }} {{ end }}", "3c:ec:ef:4c:4f:54 ")]
    [InlineData("{{ range (index .Hardware.Interfaces 0).DHCP.NameServers }}nameserver {{ . }}\n{{ end }}", "nameserver 172.16.10.1\nnameserver 10.1.1.11\n")]
    [InlineData("{{ join \",\" (index .Hardware.Interfaces 0).DHCP.NameServers }}", "172.16.10.1,10.1.1.11")]
    [InlineData("{{ toJson (index .Hardware.Interfaces 0).DHCP.IP }}", "{\"address\":\"172.16.10.100\",\"netmask\":\"255.255.255.0\",\"gateway\":\"172.16.10.1\"}")]
    [InlineData("{{ toJson (index .Hardware.Interfaces 0).Netboot }}", "{\"allowPXE\":true,\"allowWorkflow\":true}")]
    [InlineData("{{ toJson .Hardware.Disks }}", "[\"/dev/nvme0n1\"]")]
    [InlineData("{{ with (index .Hardware.Interfaces 0).DHCP }}{{ .Hostname }}/{{ .IP.Address }}{{ end }}", "sm01/172.16.10.100")]
    [InlineData("{{ if hasPrefix \"/dev/nvme\" (index .Hardware.Disks 0) }}nvme{{ else }}other{{ end }}", "nvme")]
    [InlineData("{{ (index .Hardware.Interfaces 0).DHCP.MAC | upper | replace \":\" \"-\" }}", "3C-EC-EF-4C-4F-54")]
    [InlineData("{{ if eq .device_1 (index .Hardware.Interfaces 0).DHCP.MAC }}same{{ end }}", "same")]
    public void Render_DocumentedHardwareAccess_MatchesTinkerbell(string template, string expected) =>
        Assert.Equal(expected, Render(template, HardwareData()));

    [Theory]
    // docs/Template.md documents these paths, but tink's types have no such fields: Go rejects them.
    [InlineData("{{ (index .Hardware.Interfaces 0).MAC }}", "can't evaluate field MAC in type v1alpha1.Interface")]
    [InlineData("{{ (index .Hardware.Interfaces 0).DHCP.Gateway }}", "can't evaluate field Gateway in type *v1alpha1.DHCP")]
    [InlineData("{{ (index .Hardware.Interfaces 0).DHCP.Nameservers }}", "can't evaluate field Nameservers in type *v1alpha1.DHCP")]
    [InlineData("{{ index .Hardware.Disks 1 }}", "error calling index: index out of range: 1")]
    [InlineData("{{ .Hardware.Metadata.Custom.PrivateSubnets }}", "nil pointer evaluating *v1alpha1.MetadataCustom.PrivateSubnets")]
    [InlineData("{{ (index .Hardware.Interfaces 0).Netboot.IPXE.URL }}", "nil pointer evaluating *v1alpha1.IPXE.URL")]
    [InlineData("{{ eq (index .Hardware.Interfaces 0).Netboot.AllowPXE true }}", "incompatible types for comparison")]
    [InlineData("{{ .Hardware.disks }}", "can't evaluate field disks in type workflow.templateHardwareData")]
    [InlineData("{{ .Hardware.Disks.Device }}", "can't evaluate field Device in type []string")]
    [InlineData("{{ formatPartition (index .Hardware.Interfaces 0) 1 }}", "wrong type for value; expected string; got v1alpha1.Interface")]
    public void Render_WrongHardwarePaths_AreErrorsAsInGo(string template, string message)
    {
        TemplateError error = RenderError(template, HardwareData());
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_WorkflowControllerTemplate_RendersAsTink()
    {
        // The template of tink's workflow controller tests, with the hardware fields it reads.
        const string template = """
            version: "0.1"
            name: debian
            global_timeout: 1800
            tasks:
              - name: "os-installation"
                worker: "{{.device_1}}"
                volumes:
                  - /dev:/dev
                  - /dev/console:/dev/console
                  - /lib/firmware:/lib/firmware:ro
                actions:
                  - name: "stream-debian-image"
                    image: quay.io/tinkerbell-actions/image2disk:v1.0.0
                    timeout: 600
                    environment:
                      DEST_DISK: {{ index .Hardware.Disks 0 }}
                      # Hegel IP
                      IMG_URL: "http://10.1.1.11:8080/debian-10-openstack-amd64.raw.gz"
                      COMPRESSED: true
                  - name: "write-netplan"
                    image: quay.io/tinkerbell-actions/writefile:v1.0.0
                    timeout: 90
                    environment:
                      DEST_DISK: {{ formatPartition ( index .Hardware.Disks 0 ) 1 }}
                      USER_DATA: {{ .Hardware.UserData }}
                      VENDOR_DATA: {{ .Hardware.VendorData }}
                      METADATA: {{ .Hardware.Metadata.State }}
                      HOSTNAME: {{ .Hardware.Metadata.Instance.Hostname }}
                      CONTENTS: |
                        network:
                          ethernets:
                            id0:
                              match:
                                macaddress: {{ (index .Hardware.Interfaces 0).DHCP.MAC }}
                              addresses: [{{ (index .Hardware.Interfaces 0).DHCP.IP.Address }}/24]
                              gateway4: {{ (index .Hardware.Interfaces 0).DHCP.IP.Gateway }}
                              nameservers:
                                addresses: [{{ join ", " (index .Hardware.Interfaces 0).DHCP.NameServers }}]
                        {{- range $i, $d := .Hardware.Disks }}
                        # disk {{ $i }}: {{ $d }}
                        {{- end }}
            """;
        const string expected = """
            version: "0.1"
            name: debian
            global_timeout: 1800
            tasks:
              - name: "os-installation"
                worker: "3c:ec:ef:4c:4f:54"
                volumes:
                  - /dev:/dev
                  - /dev/console:/dev/console
                  - /lib/firmware:/lib/firmware:ro
                actions:
                  - name: "stream-debian-image"
                    image: quay.io/tinkerbell-actions/image2disk:v1.0.0
                    timeout: 600
                    environment:
                      DEST_DISK: /dev/nvme0n1
                      # Hegel IP
                      IMG_URL: "http://10.1.1.11:8080/debian-10-openstack-amd64.raw.gz"
                      COMPRESSED: true
                  - name: "write-netplan"
                    image: quay.io/tinkerbell-actions/writefile:v1.0.0
                    timeout: 90
                    environment:
                      DEST_DISK: /dev/nvme0n1p1
                      USER_DATA: 
                      VENDOR_DATA: 
                      METADATA: 
                      HOSTNAME: sm01
                      CONTENTS: |
                        network:
                          ethernets:
                            id0:
                              match:
                                macaddress: 3c:ec:ef:4c:4f:54
                              addresses: [172.16.10.100/24]
                              gateway4: 172.16.10.1
                              nameservers:
                                addresses: [172.16.10.1, 10.1.1.11]
                        # disk 0: /dev/nvme0n1
            """;

        Assert.Equal(expected, Render(template, HardwareData()));
    }

    [Fact]
    public void Render_SdDiskHardware_FormatsPartitionWithoutP()
    {
        HardwareParseResult parsed = HardwareRecord.Parse("""
            disks:
              - device: /dev/sda
              - device: /dev/sdb
            """);
        Assert.True(parsed.Succeeded);

        string text = Render("""{{ range $i, $d := .Hardware.Disks }}{{ formatPartition $d (len $.Hardware.Disks) }} {{ end }}""", HardwareData(parsed.Record));

        Assert.Equal("/dev/sda2 /dev/sdb2 ", text);
    }

    [Fact]
    public void Render_HardwareWithoutInterfaces_IndexIsAnError()
    {
        HardwareParseResult parsed = HardwareRecord.Parse("disks: [{device: /dev/vda}]");
        Assert.True(parsed.Succeeded);

        TemplateError error = RenderError("worker: {{ (index .Hardware.Interfaces 0).DHCP.MAC }}", HardwareData(parsed.Record));

        Assert.Contains("index out of range: 0", error.Message, StringComparison.Ordinal);
        Assert.Equal(new SourceLocation(1, 9), error.Location);
    }

    [Fact]
    public void TemplateRenderer_DataWithHardware_ExposesItAsDotHardware()
    {
        var data = new TemplateData(new Dictionary<string, string> { ["device_1"] = "aa" }, "wf-1") { Hardware = ExampleHardware() };

        RenderResult result = TemplateRenderer.Render("disk: {{ formatPartition (index .Hardware.Disks 0) 1 }} on {{ device_1 }} for {{ .workflowid }}", data);

        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        Assert.Equal("disk: /dev/nvme0n1p1 on aa for wf-1", result.Text);
        Assert.NotNull(result.Map);
        Assert.Equal(new SourceLocation(1, 7), result.Map.Locate(result.Text!.IndexOf("/dev", StringComparison.Ordinal)));
    }

    [Fact]
    public void TemplateRenderer_DataWithoutHardware_HardwareIsAMissingVariable()
    {
        var data = new TemplateData(new Dictionary<string, string>(), "wf-1");

        RenderResult result = TemplateRenderer.Render("a: 1\nb: {{ index .Hardware.Disks 0 }}", data);

        TemplateError error = Assert.Single(result.Errors);
        Assert.Equal(new SourceLocation(2, 4), error.Location);
        Assert.Contains("missing variable \"Hardware\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WorkflowTemplate_HardwareTemplate_LoadsWithRenderedValues()
    {
        const string template = """
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
                      {{- if (index .Hardware.Interfaces 0).DHCP.UEFI }}
                      BOOT: uefi
                      {{- end }}
            """;
        var data = new TemplateData(new Dictionary<string, string>(), "wf-1") { Hardware = ExampleHardware() };

        TemplateLoadResult loaded = WorkflowTemplate.Load(template, data);

        Assert.True(loaded.IsValid, string.Join("; ", loaded.Errors));
        TaskDefinition task = Assert.Single(loaded.Definition!.Tasks);
        Assert.Equal("3c:ec:ef:4c:4f:54", task.Worker);
        ActionDefinition action = Assert.Single(task.Actions);
        Assert.Equal("/dev/nvme0n1p1", action.Environment["DEST_DISK"]);
        Assert.Equal("uefi", action.Environment["BOOT"]);
    }

    [Theory]
    [InlineData("/dev/nvme0n1", 1, "/dev/nvme0n1p1")]
    [InlineData("/dev/nvme0n1", 0, "/dev/nvme0n1p0")]
    [InlineData("/dev/sda", 1, "/dev/sda1")]
    [InlineData("/dev/vda", 2, "/dev/vda2")]
    [InlineData("/dev/xvda", 3, "/dev/xvda3")]
    [InlineData("/dev/hda", 1, "/dev/hda1")]
    [InlineData("/dev/mmcblk0", 1, "/dev/mmcblk0")]
    [InlineData("sda", 1, "sda")]
    public void FormatPartition_DeviceKinds_FollowTinkerbell(string device, int partition, string expected) =>
        Assert.Equal(expected, Render($"{{{{formatPartition \"{device}\" {partition}}}}}"));

    [Theory]
    [InlineData("{{formatPartition \"/dev/sda\" \"1\"}}", "expected integer; found \"1\"")]
    [InlineData("{{formatPartition \"/dev/sda\" 1.5}}", "expected integer; found 1.5")]
    [InlineData("{{formatPartition \"/dev/sda\"}}", "wrong number of args for formatPartition: want 2 got 1")]
    [InlineData("{{formatPartition .count 1}}", "wrong type for value; expected string; got int")]
    public void FormatPartition_BadArguments_AreErrorsNamingTheFunction(string template, string message)
    {
        TemplateError error = RenderError(template);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(new SourceLocation(1, 1), error.Location);
    }
}
