using System.Globalization;
using System.Text.RegularExpressions;

namespace DurableWorkflows.GoTemplates.Sprig;

/// <summary>
/// Masterminds/semver v3's <c>Version</c> (what sprig's <c>semver</c> returns): parsed as <c>NewVersion</c> does (a
/// leading <c>v</c>, missing minor and patch), printed as its <c>String</c>, with the methods a template may call.
/// Major, minor and patch are int64 here (uint64 in Go).
/// </summary>
internal sealed partial class SemVersion : IGoMethods
{
    private const string Allowed = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-0123456789";

    private SemVersion(ulong major, ulong minor, ulong patch, string pre, string metadata, string original, bool isValue = false)
    {
        IsValue = isValue;
        Major = major;
        Minor = minor;
        Patch = patch;
        Pre = pre;
        Metadata = metadata;
        Original = original;
    }

    public ulong Major { get; }

    public ulong Minor { get; }

    public ulong Patch { get; }

    public string Pre { get; }

    public string Metadata { get; }

    public string Original { get; }

    /// <summary>A <c>Version</c> value (what IncPatch and SetPrerelease return), not a pointer: Go gives it only the value-receiver methods.</summary>
    private bool IsValue { get; }

    [GeneratedRegex(@"\Av?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?\z", RegexOptions.CultureInvariant)]
    private static partial Regex VersionPattern();

    /// <summary><c>semver.NewVersion</c>.</summary>
    public static SemVersion Parse(string v)
    {
        Match m = VersionPattern().Match(v);
        if (!m.Success)
        {
            throw new GoCallException("Invalid Semantic Version");
        }

        var version = new SemVersion(
            Segment(m.Groups[1].Value), m.Groups[2].Success ? Segment(m.Groups[2].Value[1..]) : 0, m.Groups[3].Success ? Segment(m.Groups[3].Value[1..]) : 0,
            m.Groups[5].Value, m.Groups[8].Value, v);
        if (version.Pre.Length > 0)
        {
            ValidatePrerelease(version.Pre);
        }

        if (version.Metadata.Length > 0)
        {
            ValidateMetadata(version.Metadata);
        }

        return version;
    }

    private static ulong Segment(string digits) =>
        ulong.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out ulong n)
            ? n
            : throw new GoCallException($"Error parsing version segment: strconv.ParseUint: parsing {GoFormat.Quote(digits)}: value out of range");

    private static void ValidatePrerelease(string pre)
    {
        foreach (string part in pre.Split('.'))
        {
            if (part.All(char.IsAsciiDigit))
            {
                if (part.Length > 1 && part[0] == '0')
                {
                    throw new GoCallException("Version segment starts with 0");
                }
            }
            else if (!part.All(c => Allowed.Contains(c, StringComparison.Ordinal)))
            {
                throw new GoCallException("Invalid Prerelease string");
            }
        }
    }

    private static void ValidateMetadata(string metadata)
    {
        if (!metadata.Split('.').All(p => p.All(c => Allowed.Contains(c, StringComparison.Ordinal))))
        {
            throw new GoCallException("Invalid Metadata string");
        }
    }

    /// <summary><c>Version.String</c>.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor}.{Patch}") + (Pre.Length > 0 ? "-" + Pre : "") + (Metadata.Length > 0 ? "+" + Metadata : "");

    private string VPrefix => Original.StartsWith('v') ? "v" : "";

    private SemVersion With(ulong major, ulong minor, ulong patch, string pre, string metadata)
    {
        var next = new SemVersion(major, minor, patch, pre, metadata, "");
        return new SemVersion(major, minor, patch, pre, metadata, VPrefix + next, isValue: true);
    }

    /// <summary><c>Version.Compare</c>: -1, 0 or 1; build metadata does not count.</summary>
    public int Compare(SemVersion o)
    {
        int d = Major.CompareTo(o.Major);
        d = d != 0 ? d : Minor.CompareTo(o.Minor);
        d = d != 0 ? d : Patch.CompareTo(o.Patch);
        if (d != 0)
        {
            return Math.Sign(d);
        }

        return (Pre.Length == 0, o.Pre.Length == 0) switch
        {
            (true, true) => 0,
            (true, false) => 1,
            (false, true) => -1,
            _ => ComparePrerelease(Pre, o.Pre),
        };
    }

    internal static int ComparePrerelease(string v, string o)
    {
        string[] s = v.Split('.');
        string[] p = o.Split('.');
        for (int i = 0; i < Math.Max(s.Length, p.Length); i++)
        {
            int d = ComparePart(i < s.Length ? s[i] : "", i < p.Length ? p[i] : "");
            if (d != 0)
            {
                return d;
            }
        }

        return 0;
    }

    private static int ComparePart(string s, string o)
    {
        if (s == o)
        {
            return 0;
        }

        if (s.Length == 0 || o.Length == 0)
        {
            return s.Length == 0 ? -1 : 1;
        }

        bool oNumber = ulong.TryParse(o, NumberStyles.None, CultureInfo.InvariantCulture, out ulong oi);
        bool sNumber = ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out ulong si);
        return (sNumber, oNumber) switch
        {
            (false, false) => string.CompareOrdinal(s, o) > 0 ? 1 : -1,
            (true, false) => -1,
            (false, true) => 1,
            _ => si > oi ? 1 : -1,
        };
    }

    public string GoTypeName => IsValue ? "semver.Version" : "*semver.Version";

    public IReadOnlyList<object?>? StructFields => IsValue ? null : [new GoInt64((long)Major), new GoInt64((long)Minor), new GoInt64((long)Patch), Pre, Metadata, Original];

    public GoFunction? Method(string name) => IsValue && name is "Original" or "Compare" or "LessThan" or "GreaterThan" or "Equal" ? null : name switch
    {
        "Major" => Getter(name, () => new GoInt64((long)Major)),
        "Minor" => Getter(name, () => new GoInt64((long)Minor)),
        "Patch" => Getter(name, () => new GoInt64((long)Patch)),
        "Prerelease" => Getter(name, () => Pre),
        "Metadata" => Getter(name, () => Metadata),
        "Original" => Getter(name, () => Original),
        "String" => Getter(name, ToString),
        "IncPatch" => Getter(name, () => Pre.Length > 0 ? With(Major, Minor, Patch, "", "") : With(Major, Minor, Patch + 1, "", "")),
        "IncMinor" => Getter(name, () => With(Major, Minor + 1, 0, "", "")),
        "IncMajor" => Getter(name, () => With(Major + 1, 0, 0, "", "")),
        "SetPrerelease" => new GoFunction(name, [ParamType.String], null, a => { string p = (string)a[0]!; if (p.Length > 0) { ValidatePrerelease(p); } return With(Major, Minor, Patch, p, Metadata); }),
        "SetMetadata" => new GoFunction(name, [ParamType.String], null, a => { string m = (string)a[0]!; if (m.Length > 0) { ValidateMetadata(m); } return With(Major, Minor, Patch, Pre, m); }),
        "Compare" => Other(name, o => (long)Compare(o)),
        "LessThan" => Other(name, o => Compare(o) < 0),
        "GreaterThan" => Other(name, o => Compare(o) > 0),
        "Equal" => Other(name, o => Compare(o) == 0),
        _ => null,
    };

    private static GoFunction Getter(string name, Func<object?> get) => new(name, [], null, _ => get());

    private static GoFunction Other(string name, Func<SemVersion, object> compare) => new(name, [ParamType.Any], null, a =>
        a[0] is SemVersion { IsValue: false } o ? compare(o) : throw new GoCallException($"wrong type for value; expected *semver.Version; got {GoValues.TypeName(a[0])}"));
}
