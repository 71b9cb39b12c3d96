using System.Globalization;
using DurableWorkflows.GoTemplates.Funcs;

namespace DurableWorkflows.Core.Templates;

/// <summary>The function Tinkerbell adds to its templates besides sprig (tink's <c>templateFuncs</c>).</summary>
public static class TinkerbellFunctions
{
    public static FuncMap FuncMap { get; } = new(
    [
        new GoFunction("formatPartition", [ParamType.String, ParamType.Int], null, a => FormatPartition((string)a[0]!, (long)a[1]!)),
    ]);

    /// <summary>Tinkerbell's <c>formatPartition</c>: <c>/dev/nvme0n1</c> and 1 give <c>/dev/nvme0n1p1</c>;
    /// <c>/dev/sda</c> (and vd, xvd, hd) and 1 give <c>/dev/sda1</c>; any other device is returned unchanged.</summary>
    public static string FormatPartition(string device, long partition)
    {
        string n = partition.ToString(CultureInfo.InvariantCulture);
        if (device.StartsWith("/dev/nvme", StringComparison.Ordinal))
        {
            return device + "p" + n;
        }

        if (device.StartsWith("/dev/sd", StringComparison.Ordinal) || device.StartsWith("/dev/vd", StringComparison.Ordinal)
            || device.StartsWith("/dev/xvd", StringComparison.Ordinal) || device.StartsWith("/dev/hd", StringComparison.Ordinal))
        {
            return device + n;
        }

        return device;
    }
}
