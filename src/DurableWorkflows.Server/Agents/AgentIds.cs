using DurableWorkflows.Core.Hardware;

namespace DurableWorkflows.Server.Agents;

/// <summary>Agent IDs compare like MACs when they look like MACs (any case, <c>:</c> <c>-</c> <c>.</c> or none), exactly otherwise.</summary>
public static class AgentIds
{
    /// <summary>The form two IDs that are <see cref="Same"/> share: a MAC's 12 lowercase hex digits, any other ID as it is.</summary>
    public static string Key(string id) => HardwareRecord.NormalizeMac(id) ?? id;

    public static bool Same(string? a, string? b) =>
        a is not null && b is not null
        && (HardwareRecord.NormalizeMac(a) is { } ma && HardwareRecord.NormalizeMac(b) is { } mb ? ma == mb : string.Equals(a, b, StringComparison.Ordinal));
}
