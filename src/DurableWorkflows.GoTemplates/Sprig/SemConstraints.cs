using System.Text.RegularExpressions;

namespace DurableWorkflows.GoTemplates.Sprig;

/// <summary>
/// Masterminds/semver v3's constraints (what sprig's <c>semverCompare</c> checks): <c>||</c> of comma- or
/// space-separated comparisons (<c>= != &gt; &lt; &gt;= =&gt; &lt;= =&lt; ~ ~&gt; ^</c>), <c>x</c>/<c>*</c> wildcards
/// and <c>A - B</c> ranges, each with that library's own rules for wildcards and prereleases.
/// </summary>
internal static partial class SemConstraints
{
    // Go's \s is [\t\n\f\r ], its $ the end of the text.
    private const string S = @"[\t\n\f\r ]";
    private const string Cv = @"v?([0-9|x|X|\*]+)(\.[0-9|x|X|\*]+)?(\.[0-9|x|X|\*]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?";
    private const string Ops = @"=||!=|>|<|>=|=>|<=|=<|~|~>|\^";

    [GeneratedRegex($@"\A{S}*({Ops}){S}*({Cv}){S}*\z")]
    private static partial Regex ConstraintPattern();

    [GeneratedRegex($@"{S}*({Cv}){S}+-{S}+({Cv}){S}*")]
    private static partial Regex RangePattern();

    [GeneratedRegex($@"({Ops}){S}*({Cv})")]
    private static partial Regex FindPattern();

    [GeneratedRegex($@"\A({S}*({Ops}){S}*({Cv}){S}*)((?:{S}+|,{S}*)({Ops}){S}*({Cv}){S}*)*\z")]
    private static partial Regex ValidPattern();

    private sealed record Constraint(SemVersion Con, string Orig, string Op, bool MinorDirty, bool Dirty, bool PatchDirty);

    /// <summary>Whether <paramref name="version"/> meets <paramref name="constraint"/> (<c>semverCompare</c>).</summary>
    public static bool Check(string constraint, SemVersion version)
    {
        List<List<Constraint>> ors = Parse(constraint);
        return ors.Any(and => and.All(c => Check(c, version)));
    }

    private static List<List<Constraint>> Parse(string c)
    {
        foreach (Match m in RangePattern().Matches(c))
        {
            int index = c.IndexOf(m.Value, StringComparison.Ordinal);
            c = c[..index] + $">= {m.Groups[1].Value}, <= {m.Groups[11].Value}" + c[(index + m.Value.Length)..];
        }

        var ors = new List<List<Constraint>>();
        foreach (string part in c.Split("||"))
        {
            if (!ValidPattern().IsMatch(part))
            {
                throw new GoCallException($"improper constraint: {part}");
            }

            MatchCollection found = FindPattern().Matches(part);
            IEnumerable<string> each = found.Count == 0 ? [part] : found.Select(m => m.Value);
            ors.Add([.. each.Select(ParseOne)]);
        }

        return ors;
    }

    private static Constraint ParseOne(string c)
    {
        if (c.Length == 0)
        {
            return new Constraint(SemVersion.Parse("0.0.0"), c, "", false, true, false);
        }

        Match m = ConstraintPattern().Match(c);
        if (!m.Success)
        {
            throw new GoCallException($"improper constraint: {c}");
        }

        string g3 = m.Groups[3].Value, g4 = m.Groups[4].Value, g5 = m.Groups[5].Value, g6 = m.Groups[6].Value;
        string ver = m.Groups[2].Value;
        bool minorDirty = false, patchDirty = false, dirty = false;
        if (IsX(g3) || g3.Length == 0)
        {
            ver = "0.0.0" + g6;
            dirty = true;
        }
        else if (IsX(g4.TrimStart('.')) || g4.Length == 0)
        {
            minorDirty = dirty = true;
            ver = $"{g3}.0.0{g6}";
        }
        else if (IsX(g5.TrimStart('.')) || g5.Length == 0)
        {
            dirty = patchDirty = true;
            ver = $"{g3}{g4}.0{g6}";
        }

        SemVersion con;
        try
        {
            con = SemVersion.Parse(ver);
        }
        catch (GoCallException)
        {
            throw new GoCallException("constraint Parser Error");
        }

        return new Constraint(con, m.Groups[2].Value, m.Groups[1].Value, minorDirty, dirty, patchDirty);
    }

    private static bool IsX(string x) => x is "x" or "*" or "X";

    private static bool Check(Constraint c, SemVersion v)
    {
        bool preMismatch = v.Pre.Length > 0 && c.Con.Pre.Length == 0;
        switch (c.Op)
        {
            case "!=":
                return NotEqual(c, v);
            case ">":
                return !preMismatch && GreaterThan(c, v);
            case "<":
                return !preMismatch && v.Compare(c.Con) < 0;
            case ">=" or "=>":
                return !preMismatch && v.Compare(c.Con) >= 0;
            case "<=" or "=<":
                return !preMismatch && LessThanEqual(c, v);
            case "~" or "~>":
                return !preMismatch && Tilde(c, v);
            case "^":
                return !preMismatch && Caret(c, v);
            default:
                return !preMismatch && (c.Dirty ? Tilde(c, v) : v.Compare(c.Con) == 0);
        }
    }

    private static bool NotEqual(Constraint c, SemVersion v)
    {
        if (c.Dirty)
        {
            if (v.Pre.Length > 0 && c.Con.Pre.Length == 0)
            {
                return false;
            }

            if (c.Con.Major != v.Major)
            {
                return true;
            }

            if (c.Con.Minor != v.Minor && !c.MinorDirty)
            {
                return true;
            }

            if (c.MinorDirty)
            {
                return false;
            }

            if (c.Con.Patch != v.Patch && !c.PatchDirty)
            {
                return true;
            }

            if (c.PatchDirty)
            {
                return (v.Pre.Length > 0 || c.Con.Pre.Length > 0) && SemVersion.ComparePrerelease(v.Pre, c.Con.Pre) != 0;
            }
        }

        return v.Compare(c.Con) != 0;
    }

    private static bool GreaterThan(Constraint c, SemVersion v)
    {
        if (!c.Dirty)
        {
            return v.Compare(c.Con) == 1;
        }

        if (v.Major != c.Con.Major)
        {
            return v.Major > c.Con.Major;
        }

        if (c.MinorDirty)
        {
            return false;
        }

        return c.PatchDirty ? v.Minor > c.Con.Minor : v.Compare(c.Con) == 1;
    }

    private static bool LessThanEqual(Constraint c, SemVersion v)
    {
        if (!c.Dirty)
        {
            return v.Compare(c.Con) <= 0;
        }

        return !(v.Major > c.Con.Major || (v.Major == c.Con.Major && v.Minor > c.Con.Minor && !c.MinorDirty));
    }

    private static bool Tilde(Constraint c, SemVersion v)
    {
        if (v.Compare(c.Con) < 0)
        {
            return false;
        }

        if (c.Con.Major == 0 && c.Con.Minor == 0 && c.Con.Patch == 0 && !c.MinorDirty && !c.PatchDirty)
        {
            return true;
        }

        return v.Major == c.Con.Major && (v.Minor == c.Con.Minor || c.MinorDirty);
    }

    private static bool Caret(Constraint c, SemVersion v)
    {
        if (v.Compare(c.Con) < 0)
        {
            return false;
        }

        if (c.Con.Major > 0 || c.MinorDirty)
        {
            return v.Major == c.Con.Major;
        }

        if (v.Major > 0)
        {
            return false;
        }

        if (c.Con.Minor > 0 || c.PatchDirty)
        {
            return v.Minor == c.Con.Minor;
        }

        return v.Minor == 0 && c.Con.Patch == v.Patch;
    }
}
