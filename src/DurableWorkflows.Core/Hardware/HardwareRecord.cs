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
    public IReadOnlyDictionary<string, string>? WorkerEndpoints(WorkflowDefinition definition) => MapOwnWorkers(definition, DockerEndpoint);

    /// <summary>The workers that are this machine's MACs, each mapped to its <c>spec.agentID</c>; null when it has none.</summary>
    public IReadOnlyDictionary<string, string>? AgentWorkers(WorkflowDefinition definition) =>
        MapOwnWorkers(definition, string.IsNullOrWhiteSpace(Spec.AgentID) ? null : Spec.AgentID.Trim());

    private Dictionary<string, string>? MapOwnWorkers(WorkflowDefinition definition, string? value)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (value is null)
        {
            return null;
        }

        var macs = Macs.Select(NormalizeMac).Where(m => m is not null).ToHashSet(StringComparer.Ordinal);
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string worker in definition.Services.Select(s => s.Worker).Concat(definition.Tasks.Select(t => t.Worker)))
        {
            if (NormalizeMac(worker) is { } mac && macs.Contains(mac))
            {
                map[worker] = value;
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
