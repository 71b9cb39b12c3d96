using DurableWorkflows.Core.Hardware;

namespace DurableWorkflows.Server.Agents;

/// <summary>Agent IDs compare like MACs when they look like MACs (any case, <c>:</c> <c>-</c> <c>.</c> or none), exactly otherwise.</summary>
public static class AgentIds
{
    public static bool Same(string? a, string? b) =>
        a is not null && b is not null
        && (HardwareRecord.NormalizeMac(a) is { } ma && HardwareRecord.NormalizeMac(b) is { } mb ? ma == mb : string.Equals(a, b, StringComparison.Ordinal));
}
