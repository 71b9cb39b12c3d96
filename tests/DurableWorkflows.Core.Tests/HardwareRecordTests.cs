using DurableWorkflows.Core.Hardware;
using DurableWorkflows.Core.Templates;
using DurableWorkflows.GoTemplates;

namespace DurableWorkflows.Core.Tests;

public class HardwareRecordTests
{
    [Fact]
    public void Parse_TinkExampleObject_ReadsEveryField()
    {
        HardwareRecord record = GoTemplateTestData.ExampleHardware();

        Assert.Equal("sm01", record.Name);
        Assert.Equal("/dev/nvme0n1", Assert.Single(record.Spec.Disks).Device);
        HardwareInterface nic = Assert.Single(record.Spec.Interfaces);
        Assert.NotNull(nic.DHCP);
        Assert.Equal("3c:ec:ef:4c:4f:54", nic.DHCP.MAC);
        Assert.Equal("sm01", nic.DHCP.Hostname);
        Assert.Equal("x86_64", nic.DHCP.Arch);
        Assert.Equal(86400, nic.DHCP.LeaseTime);
        Assert.Equal(["172.16.10.1", "10.1.1.11"], nic.DHCP.NameServers);
        Assert.True(nic.DHCP.UEFI);
        Assert.Equal(new HardwareIp { Address = "172.16.10.100", Gateway = "172.16.10.1", Netmask = "255.255.255.0" }, nic.DHCP.IP);
        Assert.True(nic.Netboot?.AllowPXE);
        Assert.True(nic.Netboot?.AllowWorkflow);
        Assert.Equal("sm01", record.Spec.Metadata?.Instance?.Hostname);
        Assert.Equal("20.04", record.Spec.Metadata?.Instance?.OperatingSystem?.Version);
        Assert.Equal("onprem", record.Spec.Metadata?.Facility?.FacilityCode);
        Assert.Equal("supermicro", record.Spec.Metadata?.Manufacturer?.Slug);
    }

    [Fact]
    public void Parse_SpecAlone_ReadsTheSameRecordWithoutAName()
    {
        HardwareParseResult parsed = HardwareRecord.Parse("""
            disks:
              - device: /dev/sda
            interfaces:
              - dhcp:
                  mac: "aa:bb:cc:dd:ee:ff"
                  vlan_id: "100"
                  time_servers: [pool.ntp.org]
                netboot:
                  allowPXE: false
            userData: |
              #cloud-config
            vendorData: vendor
            tinkVersion: 2
            """);

        Assert.True(parsed.Succeeded, string.Join("; ", parsed.Errors));
        HardwareRecord record = parsed.Record!;
        Assert.Null(record.Name);
        Assert.Equal("/dev/sda", record.Spec.Disks[0].Device);
        Assert.Equal("100", record.Spec.Interfaces[0].DHCP?.VLANID);
        Assert.Equal(["pool.ntp.org"], record.Spec.Interfaces[0].DHCP?.TimeServers);
        Assert.False(record.Spec.Interfaces[0].Netboot?.AllowPXE);
        Assert.Null(record.Spec.Interfaces[0].Netboot?.AllowWorkflow);
        Assert.Equal("#cloud-config\n", record.Spec.UserData);
        Assert.Equal("vendor", record.Spec.VendorData);
        Assert.Equal(2, record.Spec.TinkVersion);
    }

    [Fact]
    public void Parse_JsonObjectWithWrapper_ReadsTheSpec()
    {
        HardwareParseResult parsed = HardwareRecord.Parse("""
            {
            	"apiVersion": "tinkerbell.org/v1alpha1",
            	"kind": "Hardware",
            	"metadata": {"name": "m1", "labels": {"x": "y"}},
            	"spec": {
            		"disks": [{"device": "/dev/vda"}],
            		"interfaces": [{"dhcp": {"mac": "00:11:22:33:44:55", "lease_time": 60, "uefi": false, "ip": {"address": "10.0.0.2"}}}],
            		"metadata": {"instance": {"hostname": "m1", "tags": ["a", "b"]}}
            	},
            	"status": {"state": "Ready"}
            }
            """);

        Assert.True(parsed.Succeeded, string.Join("; ", parsed.Errors));
        HardwareRecord record = parsed.Record!;
        Assert.Equal("m1", record.Name);
        Assert.Equal("/dev/vda", record.Spec.Disks[0].Device);
        Assert.Equal("00:11:22:33:44:55", record.Spec.Interfaces[0].DHCP?.MAC);
        Assert.Equal(60, record.Spec.Interfaces[0].DHCP?.LeaseTime);
        Assert.Equal("10.0.0.2", record.Spec.Interfaces[0].DHCP?.IP?.Address);
        Assert.Equal(["a", "b"], record.Spec.Metadata?.Instance?.Tags);
    }

    [Fact]
    public void Parse_JsonSpecAlone_ReadsTheSpec()
    {
        HardwareParseResult parsed = HardwareRecord.Parse("""{"disks": [{"device": "/dev/nvme1n1"}], "metadata": {"state": "provisioning"}}""");

        Assert.True(parsed.Succeeded, string.Join("; ", parsed.Errors));
        Assert.Equal("/dev/nvme1n1", parsed.Record!.Spec.Disks[0].Device);
        Assert.Equal("provisioning", parsed.Record.Spec.Metadata?.State);
    }

    [Fact]
    public void ToTemplateData_BuildsTinkerbellsView()
    {
        HardwareTemplateData data = GoTemplateTestData.ExampleHardware().ToTemplateData();

        Assert.Equal(["/dev/nvme0n1"], data.Disks);
        Assert.Equal("", data.UserData);
        Assert.Equal("", data.VendorData);
        Assert.Equal("sm01", data.Metadata.Instance?.Hostname);
        Assert.Single(data.Interfaces);
    }

    [Theory]
    [InlineData("interfaces:\n  - dhcp:\n      uefi: maybe\n", 3, 13, "spec.interfaces[0].dhcp.uefi: expected true or false, found \"maybe\"")]
    [InlineData("interfaces:\n  - dhcp:\n      lease_time: soon\n", 3, 19, "spec.interfaces[0].dhcp.lease_time: expected an integer")]
    [InlineData("disks: /dev/sda\n", 1, 8, "spec.disks: expected a list")]
    [InlineData("disks:\n  - /dev/sda\n", 2, 5, "spec.disks[0]: expected a mapping")]
    [InlineData("interfaces:\n  - dhcp:\n      mac: [a]\n", 3, 12, "spec.interfaces[0].dhcp.mac: expected a string")]
    [InlineData("- a\n- b\n", 1, 1, "must be a mapping")]
    [InlineData("", 1, 1, "empty hardware record")]
    [InlineData("kind: Template\nspec: {}\n", 1, 7, "kind is \"Template\", expected \"Hardware\"")]
    [InlineData("disks: [\n", 2, 1, "invalid YAML")]
    [InlineData("{\"disks\": [}", 1, 12, "invalid JSON")]
    [InlineData("{\"interfaces\": [{\"dhcp\": {\"uefi\": \"yes\"}}]}", 1, 35, "expected true or false")]
    [InlineData("a: 1\n---\nb: 2\n", 3, 1, "found several YAML documents")]
    public void Parse_BadRecords_AreErrorsWithLocations(string text, int line, int column, string message)
    {
        HardwareParseResult parsed = HardwareRecord.Parse(text);

        Assert.False(parsed.Succeeded);
        Assert.Null(parsed.Record);
        TemplateError error = parsed.Errors[0];
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(new SourceLocation(line, column), error.Location);
    }

    [Fact]
    public void Parse_UnknownKeys_AreIgnoredAsKubernetesDoes()
    {
        HardwareParseResult parsed = HardwareRecord.Parse("""
            bmcRef: {kind: Machine, name: bmc1}
            resources: {cpu: "4"}
            disks: [{device: /dev/sda, size: 10}]
            """);

        Assert.True(parsed.Succeeded, string.Join("; ", parsed.Errors));
        Assert.Equal("/dev/sda", parsed.Record!.Spec.Disks[0].Device);
    }

    private const string WithEndpoint = """
        apiVersion: tinkerbell.org/v1alpha1
        kind: Hardware
        metadata:
          name: rack1-node3
          annotations:
            durableworkflows.io/docker-endpoint: tcp://127.0.0.1:2375
            example.com/owner: ops
        spec:
          disks: [{device: /dev/sda}]
          interfaces:
            - dhcp: {mac: "3C:EC:EF:4C:4F:54"}
            - dhcp: {mac: "aa:bb:cc:dd:ee:01"}
        """;

    [Fact]
    public void Parse_AnnotatedRecord_ReadsAnnotationsAndDockerEndpoint()
    {
        HardwareParseResult parsed = HardwareRecord.Parse(WithEndpoint);

        Assert.True(parsed.Succeeded, string.Join("; ", parsed.Errors));
        HardwareRecord record = parsed.Record!;
        Assert.Equal("tcp://127.0.0.1:2375", record.DockerEndpoint);
        Assert.Equal("ops", record.Annotations["example.com/owner"]);
        Assert.Equal(["3C:EC:EF:4C:4F:54", "aa:bb:cc:dd:ee:01"], record.Macs);
        Assert.Equal(new SourceLocation(4, 9), record.NameLocation);
        Assert.Null(GoTemplateTestData.ExampleHardware().DockerEndpoint);
    }

    [Theory]
    [InlineData("metadata:\n  annotations:\n    durableworkflows.io/docker-endpoint: docker.sock\nspec: {}\n", 3, 42, "is not a Docker endpoint")]
    [InlineData("metadata:\n  annotations:\n    durableworkflows.io/docker-endpoint: \"\"\nspec: {}\n", 3, 42, "the endpoint is empty")]
    [InlineData("metadata:\n  annotations: [a]\nspec: {}\n", 2, 16, "metadata.annotations: expected a mapping")]
    [InlineData("metadata:\n  annotations:\n    a: {b: c}\nspec: {}\n", 3, 8, "metadata.annotations.a: expected a string")]
    public void Parse_BadAnnotations_AreErrorsWithLocations(string text, int line, int column, string message)
    {
        HardwareParseResult parsed = HardwareRecord.Parse(text);

        Assert.False(parsed.Succeeded);
        TemplateError error = Assert.Single(parsed.Errors);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(new SourceLocation(line, column), error.Location);
    }

    [Theory]
    [InlineData("3c:ec:ef:4c:4f:54", "3cecef4c4f54")]
    [InlineData("3C-EC-EF-4C-4F-54", "3cecef4c4f54")]
    [InlineData("3cec.ef4c.4f54", "3cecef4c4f54")]
    [InlineData(" 3CECEF4C4F54 ", "3cecef4c4f54")]
    [InlineData("3c:ec:ef:4c:4f", null)]
    [InlineData("3c:ec:ef:4c:4f:5g", null)]
    [InlineData("rack-1", null)]
    [InlineData("", null)]
    public void NormalizeMac_SeparatorsAndCase_TwelveLowercaseHexDigitsOrNull(string text, string? expected) =>
        Assert.Equal(expected, HardwareRecord.NormalizeMac(text));

    [Fact]
    public void WorkerEndpoints_WorkersThatAreTheRecordsMacs_MapToItsEndpoint()
    {
        HardwareRecord record = HardwareRecord.Parse(WithEndpoint).Record!;
        WorkflowDefinition definition = WorkflowTemplate.Load("""
            version: "0.1"
            name: by-mac
            global_timeout: 60
            services:
              - name: files
                worker: AA-BB-CC-DD-EE-01
                image: busybox
            tasks:
              - name: a
                worker: 3c:ec:ef:4c:4f:54
                actions: [{name: x, image: busybox}]
              - name: b
                worker: rack-2
                actions: [{name: y, image: busybox}]
            """, new TemplateData(new Dictionary<string, string>(), "w")).Definition!;

        IReadOnlyDictionary<string, string>? map = record.WorkerEndpoints(definition);

        Assert.NotNull(map);
        Assert.Equal(2, map.Count);
        Assert.Equal("tcp://127.0.0.1:2375", map["3c:ec:ef:4c:4f:54"]);
        Assert.Equal("tcp://127.0.0.1:2375", map["AA-BB-CC-DD-EE-01"]);
        Assert.Null(GoTemplateTestData.ExampleHardware().WorkerEndpoints(definition));
        Assert.Null((record with { Spec = new HardwareSpec() }).WorkerEndpoints(definition));
    }

    [Fact]
    public void ToJson_ReadBack_GivesAnEqualRecordInTinksKeys()
    {
        HardwareRecord record = GoTemplateTestData.ExampleHardware() with { Annotations = new Dictionary<string, string> { ["a"] = "b" } };

        System.Text.Json.Nodes.JsonObject json = record.ToJson("renamed");
        HardwareRecord back = HardwareRecord.Parse(json.ToJsonString()).Record!;

        Assert.Equal("tinkerbell.org/v1alpha1", json["apiVersion"]!.GetValue<string>());
        Assert.Equal("Hardware", json["kind"]!.GetValue<string>());
        Assert.Equal("renamed", json["metadata"]!["name"]!.GetValue<string>());
        Assert.Equal("3c:ec:ef:4c:4f:54", json["spec"]!["interfaces"]![0]!["dhcp"]!["mac"]!.GetValue<string>());
        Assert.Equal(86400, json["spec"]!["interfaces"]![0]!["dhcp"]!["lease_time"]!.GetValue<long>());
        Assert.Null(json["spec"]!["userData"]);
        Assert.Equal("renamed", back.Name);
        Assert.Equal("b", back.Annotations["a"]);
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(record.ToTemplateData()), System.Text.Json.JsonSerializer.Serialize(back.ToTemplateData()));
        Assert.Equal(json.ToJsonString(), back.ToJson().ToJsonString());
    }
}
