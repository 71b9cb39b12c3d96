using DurableWorkflows.Core.Templates;
using DurableWorkflows.GoTemplates;
using DurableWorkflows.GoTemplates.Reflect;

namespace DurableWorkflows.Core.Hardware;

// A machine's Hardware record in Tinkerbell's shape (tinkerbell.org/v1alpha1 Hardware). Property names are the Go
// field names templates use (.DHCP.MAC); GoJson names are tink's JSON/YAML keys (dhcp, mac, name_servers).

/// <summary>A Hardware object: its <c>metadata.name</c> (when the record came with its wrapper) and its spec.</summary>
public sealed record HardwareRecord(string? Name, HardwareSpec Spec)
{
    /// <summary>The annotation naming the Docker engine that runs this machine's actions (<c>unix:///…</c>, <c>tcp://host:port</c>).</summary>
    public const string DockerEndpointAnnotation = "durableworkflows.io/docker-endpoint";

    /// <summary>Where <see cref="Name"/> is in the text, when it is there.</summary>
    public SourceLocation? NameLocation { get; init; }

    /// <summary><c>metadata.annotations</c> of the wrapper; empty for a spec alone.</summary>
    public IReadOnlyDictionary<string, string> Annotations { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The Docker endpoint of <see cref="DockerEndpointAnnotation"/>, or null.</summary>
    public string? DockerEndpoint =>
        Annotations.TryGetValue(DockerEndpointAnnotation, out string? endpoint) && !string.IsNullOrWhiteSpace(endpoint) ? endpoint.Trim() : null;

    /// <summary>The MAC addresses of the interfaces, as written.</summary>
    public IReadOnlyList<string> Macs => [.. Spec.Interfaces.Select(i => i.DHCP?.MAC ?? "").Where(m => m.Length > 0)];

    /// <summary>Parses a Hardware object as YAML or JSON: the whole object (<c>apiVersion</c>/<c>kind</c>/
    /// <c>metadata</c>/<c>spec</c>) or its spec alone.</summary>
    public static HardwareParseResult Parse(string text) => HardwareReader.Parse(text);

    /// <summary>What templates see as <c>.Hardware</c>, as Tinkerbell builds it from the record.</summary>
    public HardwareTemplateData ToTemplateData() => HardwareTemplateData.From(Spec);

    /// <summary>The whole Hardware object as tink writes it in JSON (its keys; empty fields left out), named <paramref name="name"/>
    /// when given, else <see cref="Name"/>. <see cref="Parse"/> reads it back to an equal record.</summary>
    public System.Text.Json.Nodes.JsonObject ToJson(string? name = null) => HardwareWriter.Write(this, name ?? Name);

    /// <summary>
    /// The workers of <paramref name="definition"/>'s tasks and services that are one of this machine's MACs (any case,
    /// with <c>:</c>, <c>-</c>, <c>.</c> or no separators), each mapped to <see cref="DockerEndpoint"/>; null when the
    /// record names no endpoint or no worker is one of its MACs.
    /// </summary>
    public IReadOnlyDictionary<string, string>? WorkerEndpoints(WorkflowDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (DockerEndpoint is not { } endpoint)
        {
            return null;
        }

        var macs = Macs.Select(NormalizeMac).Where(m => m is not null).ToHashSet(StringComparer.Ordinal);
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string worker in definition.Services.Select(s => s.Worker).Concat(definition.Tasks.Select(t => t.Worker)))
        {
            if (NormalizeMac(worker) is { } mac && macs.Contains(mac))
            {
                map[worker] = endpoint;
            }
        }

        return map.Count == 0 ? null : map;
    }

    /// <summary>A MAC as 12 lowercase hex digits, or null when <paramref name="text"/> is not a 48-bit MAC.</summary>
    public static string? NormalizeMac(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        string digits = new([.. text.Trim().Where(c => c is not (':' or '-' or '.')).Select(char.ToLowerInvariant)]);
        return digits.Length == 12 && digits.All(char.IsAsciiHexDigit) ? digits : null;
    }

    /// <summary>Null when <paramref name="uri"/> is a Docker endpoint (<c>unix://</c>, <c>tcp://</c>, <c>http(s)://</c>, <c>npipe://</c>), else what is wrong with it.</summary>
    public static string? CheckDockerEndpoint(string? uri)
    {
        if (string.IsNullOrWhiteSpace(uri))
        {
            return "the endpoint is empty.";
        }

        if (!Uri.TryCreate(uri.Trim(), UriKind.Absolute, out var parsed) || parsed.Scheme is not ("unix" or "tcp" or "http" or "https" or "npipe"))
        {
            return $"'{uri}' is not a Docker endpoint (unix:///path/docker.sock or tcp://host:port).";
        }

        return null;
    }
}

/// <summary>The record, or the errors (each with line:column) that stopped reading it.</summary>
public sealed record HardwareParseResult(HardwareRecord? Record, IReadOnlyList<TemplateError> Errors)
{
    public bool Succeeded => Record is not null && Errors.Count == 0;
}

[GoType("v1alpha1.HardwareSpec")]
public sealed record HardwareSpec
{
    [GoJson("interfaces")]
    public IReadOnlyList<HardwareInterface> Interfaces { get; init; } = [];

    [GoJson("metadata")]
    public HardwareMetadata? Metadata { get; init; }

    [GoJson("tinkVersion")]
    public long TinkVersion { get; init; }

    [GoJson("disks")]
    public IReadOnlyList<HardwareDisk> Disks { get; init; } = [];

    [GoJson("userData")]
    public string? UserData { get; init; }

    [GoJson("vendorData")]
    public string? VendorData { get; init; }
}

[GoType("v1alpha1.Disk")]
public sealed record HardwareDisk
{
    [GoJson("device")]
    public string Device { get; init; } = "";
}

[GoType("v1alpha1.Interface")]
public sealed record HardwareInterface
{
    [GoJson("netboot")]
    public HardwareNetboot? Netboot { get; init; }

    [GoJson("dhcp")]
    public HardwareDhcp? DHCP { get; init; }

    [GoJson("disableDhcp")]
    public bool DisableDHCP { get; init; }
}

[GoType("v1alpha1.Netboot")]
public sealed record HardwareNetboot
{
    [GoJson("allowPXE")]
    public bool? AllowPXE { get; init; }

    [GoJson("allowWorkflow")]
    public bool? AllowWorkflow { get; init; }

    [GoJson("ipxe")]
    public HardwareIpxe? IPXE { get; init; }

    [GoJson("osie")]
    public HardwareOsie? OSIE { get; init; }
}

[GoType("v1alpha1.IPXE")]
public sealed record HardwareIpxe
{
    [GoJson("url")]
    public string URL { get; init; } = "";

    [GoJson("contents")]
    public string Contents { get; init; } = "";
}

[GoType("v1alpha1.OSIE")]
public sealed record HardwareOsie
{
    [GoJson("baseURL")]
    public string BaseURL { get; init; } = "";

    [GoJson("kernel")]
    public string Kernel { get; init; } = "";

    [GoJson("initrd")]
    public string Initrd { get; init; } = "";
}

[GoType("v1alpha1.DHCP")]
public sealed record HardwareDhcp
{
    [GoJson("mac")]
    public string MAC { get; init; } = "";

    [GoJson("hostname")]
    public string Hostname { get; init; } = "";

    [GoJson("lease_time")]
    public long LeaseTime { get; init; }

    [GoJson("name_servers")]
    public IReadOnlyList<string> NameServers { get; init; } = [];

    [GoJson("time_servers")]
    public IReadOnlyList<string> TimeServers { get; init; } = [];

    [GoJson("arch")]
    public string Arch { get; init; } = "";

    [GoJson("uefi")]
    public bool UEFI { get; init; }

    [GoJson("iface_name")]
    public string IfaceName { get; init; } = "";

    [GoJson("ip")]
    public HardwareIp? IP { get; init; }

    [GoJson("vlan_id")]
    public string VLANID { get; init; } = "";
}

[GoType("v1alpha1.IP")]
public sealed record HardwareIp
{
    [GoJson("address")]
    public string Address { get; init; } = "";

    [GoJson("netmask")]
    public string Netmask { get; init; } = "";

    [GoJson("gateway")]
    public string Gateway { get; init; } = "";

    [GoJson("family")]
    public long Family { get; init; }
}

[GoType("v1alpha1.HardwareMetadata")]
public sealed record HardwareMetadata
{
    [GoJson("state")]
    public string State { get; init; } = "";

    [GoJson("bonding_mode")]
    public long BondingMode { get; init; }

    [GoJson("manufacturer")]
    public MetadataManufacturer? Manufacturer { get; init; }

    [GoJson("instance")]
    public MetadataInstance? Instance { get; init; }

    [GoJson("custom")]
    public MetadataCustom? Custom { get; init; }

    [GoJson("facility")]
    public MetadataFacility? Facility { get; init; }
}

[GoType("v1alpha1.MetadataManufacturer")]
public sealed record MetadataManufacturer
{
    [GoJson("id")]
    public string ID { get; init; } = "";

    [GoJson("slug")]
    public string Slug { get; init; } = "";
}

[GoType("v1alpha1.MetadataInstance")]
public sealed record MetadataInstance
{
    [GoJson("id")]
    public string ID { get; init; } = "";

    [GoJson("state")]
    public string State { get; init; } = "";

    [GoJson("hostname")]
    public string Hostname { get; init; } = "";

    [GoJson("allow_pxe")]
    public bool AllowPxe { get; init; }

    [GoJson("rescue")]
    public bool Rescue { get; init; }

    [GoJson("operating_system")]
    public MetadataInstanceOperatingSystem? OperatingSystem { get; init; }

    [GoJson("always_pxe")]
    public bool AlwaysPxe { get; init; }

    [GoJson("ipxe_script_url")]
    public string IpxeScriptURL { get; init; } = "";

    [GoJson("ips")]
    public IReadOnlyList<MetadataInstanceIP> Ips { get; init; } = [];

    [GoJson("userdata")]
    public string Userdata { get; init; } = "";

    [GoJson("crypted_root_password")]
    public string CryptedRootPassword { get; init; } = "";

    [GoJson("tags")]
    public IReadOnlyList<string> Tags { get; init; } = [];

    [GoJson("storage")]
    public MetadataInstanceStorage? Storage { get; init; }

    [GoJson("ssh_keys")]
    public IReadOnlyList<string> SSHKeys { get; init; } = [];

    [GoJson("network_ready")]
    public bool NetworkReady { get; init; }
}

[GoType("v1alpha1.MetadataInstanceOperatingSystem")]
public sealed record MetadataInstanceOperatingSystem
{
    [GoJson("slug")]
    public string Slug { get; init; } = "";

    [GoJson("distro")]
    public string Distro { get; init; } = "";

    [GoJson("version")]
    public string Version { get; init; } = "";

    [GoJson("image_tag")]
    public string ImageTag { get; init; } = "";

    [GoJson("os_slug")]
    public string OsSlug { get; init; } = "";
}

[GoType("v1alpha1.MetadataInstanceIP")]
public sealed record MetadataInstanceIP
{
    [GoJson("address")]
    public string Address { get; init; } = "";

    [GoJson("netmask")]
    public string Netmask { get; init; } = "";

    [GoJson("gateway")]
    public string Gateway { get; init; } = "";

    [GoJson("family")]
    public long Family { get; init; }

    [GoJson("public")]
    public bool Public { get; init; }

    [GoJson("management")]
    public bool Management { get; init; }
}

[GoType("v1alpha1.MetadataInstanceStorage")]
public sealed record MetadataInstanceStorage
{
    [GoJson("disks")]
    public IReadOnlyList<MetadataInstanceStorageDisk> Disks { get; init; } = [];

    [GoJson("raid")]
    public IReadOnlyList<MetadataInstanceStorageRAID> Raid { get; init; } = [];

    [GoJson("filesystems")]
    public IReadOnlyList<MetadataInstanceStorageFilesystem> Filesystems { get; init; } = [];
}

[GoType("v1alpha1.MetadataInstanceStorageDisk")]
public sealed record MetadataInstanceStorageDisk
{
    [GoJson("device")]
    public string Device { get; init; } = "";

    [GoJson("wipe_table")]
    public bool WipeTable { get; init; }

    [GoJson("partitions")]
    public IReadOnlyList<MetadataInstanceStorageDiskPartition> Partitions { get; init; } = [];
}

[GoType("v1alpha1.MetadataInstanceStorageDiskPartition")]
public sealed record MetadataInstanceStorageDiskPartition
{
    [GoJson("label")]
    public string Label { get; init; } = "";

    [GoJson("number")]
    public long Number { get; init; }

    [GoJson("size")]
    public long Size { get; init; }

    [GoJson("start")]
    public long Start { get; init; }

    [GoJson("type_guid")]
    public string TypeGUID { get; init; } = "";
}

[GoType("v1alpha1.MetadataInstanceStorageRAID")]
public sealed record MetadataInstanceStorageRAID
{
    [GoJson("name")]
    public string Name { get; init; } = "";

    [GoJson("level")]
    public string Level { get; init; } = "";

    [GoJson("devices")]
    public IReadOnlyList<string> Devices { get; init; } = [];

    [GoJson("spare")]
    public long Spare { get; init; }
}

[GoType("v1alpha1.MetadataInstanceStorageFilesystem")]
public sealed record MetadataInstanceStorageFilesystem
{
    [GoJson("mount")]
    public MetadataInstanceStorageMount? Mount { get; init; }
}

[GoType("v1alpha1.MetadataInstanceStorageMount")]
public sealed record MetadataInstanceStorageMount
{
    [GoJson("device")]
    public string Device { get; init; } = "";

    [GoJson("format")]
    public string Format { get; init; } = "";

    [GoJson("files")]
    public IReadOnlyList<MetadataInstanceStorageFile> Files { get; init; } = [];

    [GoJson("create")]
    public MetadataInstanceStorageMountFilesystemOptions? Create { get; init; }

    [GoJson("point")]
    public string Point { get; init; } = "";
}

[GoType("v1alpha1.MetadataInstanceStorageFile")]
public sealed record MetadataInstanceStorageFile
{
    [GoJson("path")]
    public string Path { get; init; } = "";

    [GoJson("contents")]
    public string Contents { get; init; } = "";

    [GoJson("mode")]
    public long Mode { get; init; }

    [GoJson("uid")]
    public long UID { get; init; }

    [GoJson("gid")]
    public long GID { get; init; }
}

[GoType("v1alpha1.MetadataInstanceStorageMountFilesystemOptions")]
public sealed record MetadataInstanceStorageMountFilesystemOptions
{
    [GoJson("force")]
    public bool Force { get; init; }

    [GoJson("options")]
    public IReadOnlyList<string> Options { get; init; } = [];
}

[GoType("v1alpha1.MetadataCustom")]
public sealed record MetadataCustom
{
    [GoJson("preinstalled_operating_system_version")]
    public MetadataInstanceOperatingSystem? PreinstalledOperatingSystemVersion { get; init; }

    [GoJson("private_subnets")]
    public IReadOnlyList<string> PrivateSubnets { get; init; } = [];
}

[GoType("v1alpha1.MetadataFacility")]
public sealed record MetadataFacility
{
    [GoJson("plan_slug")]
    public string PlanSlug { get; init; } = "";

    [GoJson("plan_version_slug")]
    public string PlanVersionSlug { get; init; } = "";

    [GoJson("facility_code")]
    public string FacilityCode { get; init; } = "";
}

/// <summary>
/// <c>.Hardware</c> in a template, as Tinkerbell builds it (its <c>templateHardwareData</c>): disks as device
/// strings, the interfaces as they are, user and vendor data as strings, the metadata as a value.
/// </summary>
[GoType("workflow.templateHardwareData")]
public sealed record HardwareTemplateData
{
    public IReadOnlyList<string> Disks { get; init; } = [];

    public IReadOnlyList<HardwareInterface> Interfaces { get; init; } = [];

    public string UserData { get; init; } = "";

    [GoByValue]
    public HardwareMetadata Metadata { get; init; } = new();

    public string VendorData { get; init; } = "";

    public static HardwareTemplateData From(HardwareSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new HardwareTemplateData
        {
            Disks = [.. spec.Disks.Select(d => d.Device)],
            Interfaces = spec.Interfaces,
            UserData = spec.UserData ?? "",
            Metadata = spec.Metadata ?? new HardwareMetadata(),
            VendorData = spec.VendorData ?? "",
        };
    }
}
