using DurableWorkflows.GoTemplates.Reflect;

namespace DurableWorkflows.Core.Hardware;

// tink's v1alpha1 HardwareMetadata: the machine's facility, manufacturer and instance (hostname, OS, IPs, storage).

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
