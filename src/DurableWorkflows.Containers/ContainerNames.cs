using System.Security.Cryptography;
using System.Text;
using DurableWorkflows.Core.Contracts;

namespace DurableWorkflows.Containers;

/// <summary>
/// Deterministic, Docker-safe container names. Every name ends with a short hash of its parts, so names differ
/// whenever the parts differ even after sanitizing or truncating (task "a-b" + action "c" vs task "a" + action "b-c").
/// </summary>
public static class ContainerNames
{
    public const int MaxLength = 128;
    private const int HashLength = 8;

    /// <summary><c>dwf-{workflowId}-svc-{service}-{hash}</c>.</summary>
    public static string Service(string workflowId, string service) =>
        Make($"dwf-{workflowId}-svc-{service}", "service", workflowId, service);

    /// <summary><c>dwf-{workflowId}-{task}-{action}-{attempt}[-handler]-{hash}</c>.</summary>
    public static string Action(string workflowId, string task, string action, int attempt, ContainerRole role)
    {
        var suffix = role == ContainerRole.Handler ? "-handler" : "";
        return Make($"dwf-{workflowId}-{task}-{action}-{attempt}{suffix}", RoleLabel(role), workflowId, task, action, attempt.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>The value of the role label.</summary>
    public static string RoleLabel(ContainerRole role) => role switch
    {
        ContainerRole.Service => "service",
        ContainerRole.Action => "action",
        ContainerRole.Handler => "handler",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "unknown container role"),
    };

    public static ContainerRole ParseRole(string? label) => label switch
    {
        "service" => ContainerRole.Service,
        "handler" => ContainerRole.Handler,
        _ => ContainerRole.Action,
    };

    /// <summary>
    /// A name safe as one file or folder name: the text itself when it is made of [A-Za-z0-9_.-] (and not "." or ".."),
    /// else its sanitized form plus a hash.
    /// </summary>
    public static string SafeFileName(string text)
    {
        var sanitized = Sanitize(text);
        if (sanitized == text && text is not ("." or "..") && text.Length <= MaxLength)
        {
            return text;
        }

        return Truncate(sanitized) + "-" + Hash(text);
    }

    /// <summary>Every character outside [A-Za-z0-9_.-] becomes '-'.</summary>
    public static string Sanitize(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            sb.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-' ? c : '-');
        }

        return sb.ToString();
    }

    private static string Make(string readable, params string[] parts) =>
        Truncate(Sanitize(readable)) + "-" + Hash(string.Join('\0', parts));

    private static string Truncate(string text) =>
        text.Length <= MaxLength - HashLength - 1 ? text : text[..(MaxLength - HashLength - 1)];

    private static string Hash(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..HashLength];
}
