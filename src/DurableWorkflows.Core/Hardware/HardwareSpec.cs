using DurableWorkflows.GoTemplates.Reflect;

namespace DurableWorkflows.Core.Hardware;

// tink's v1alpha1 HardwareSpec and what it holds, with Go's field names and JSON tags (templates see Go's struct semantics).

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

    /// <summary>The ID of the agent that dials the server for this machine (tink's <c>spec.agentID</c>).</summary>
    [GoJson("agentID")]
    public string? AgentID { get; init; }
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
