namespace DurableWorkflows.Core.Tests.Templates;

/// <summary>
/// Random compositions of the language's constructs for the differential test: calls of sprig's and Go's functions with
/// arguments of every kind (ordinary, empty, nil, negative, wrong type), nested calls, pipelines, conditionals and
/// ranges, named templates. Seeded: the same cases on every run.
/// </summary>
public static class GeneratedTemplates
{
    /// <summary>Functions whose output is the same in every run (no clock, randomness, map order or environment), with how many arguments they take.</summary>
    private static readonly (string Name, int Min, int Max)[] Functions =
    [
        ("upper", 1, 1), ("lower", 1, 1), ("title", 1, 1), ("untitle", 1, 1), ("trim", 1, 1), ("trimPrefix", 2, 2), ("trimSuffix", 2, 2),
        ("trimAll", 2, 2), ("replace", 3, 3), ("contains", 2, 2), ("hasPrefix", 2, 2), ("hasSuffix", 2, 2), ("quote", 0, 3), ("squote", 0, 3),
        ("trunc", 2, 2), ("substr", 3, 3), ("repeat", 2, 2), ("nospace", 1, 1), ("cat", 0, 3), ("indent", 2, 2), ("nindent", 2, 2),
        ("plural", 3, 3), ("sha1sum", 1, 1), ("sha256sum", 1, 1), ("adler32sum", 1, 1), ("toString", 1, 1), ("toStrings", 1, 1),
        ("splitList", 2, 2), ("join", 2, 2), ("initials", 1, 1), ("b64enc", 1, 1), ("b64dec", 1, 1), ("b32enc", 1, 1),
        ("list", 0, 3), ("append", 2, 2), ("prepend", 2, 2), ("first", 1, 1), ("last", 1, 1), ("rest", 1, 1), ("initial", 1, 1),
        ("reverse", 1, 1), ("compact", 1, 1), ("uniq", 1, 1), ("without", 1, 3), ("has", 2, 2), ("slice", 1, 3), ("concat", 0, 2),
        ("sortAlpha", 1, 1), ("chunk", 2, 2),
        ("add", 0, 3), ("add1", 1, 1), ("sub", 2, 2), ("mul", 1, 3), ("div", 2, 2), ("mod", 2, 2), ("max", 1, 3), ("min", 1, 3),
        ("maxf", 1, 3), ("minf", 1, 3), ("ceil", 1, 1), ("floor", 1, 1), ("round", 2, 2), ("int", 1, 1), ("int64", 1, 1), ("float64", 1, 1),
        ("atoi", 1, 1), ("until", 1, 1), ("untilStep", 3, 3), ("seq", 0, 3),
        ("default", 2, 2), ("empty", 1, 1), ("coalesce", 0, 3), ("all", 0, 3), ("any", 0, 3), ("ternary", 3, 3), ("kindOf", 1, 1),
        ("toJson", 1, 1), ("toPrettyJson", 1, 1), ("toRawJson", 1, 1), ("fromJson", 1, 1), ("dict", 0, 4), ("get", 2, 2), ("hasKey", 2, 2),
        ("regexMatch", 2, 2), ("regexFind", 2, 2), ("regexReplaceAll", 3, 3), ("regexReplaceAllLiteral", 3, 3), ("regexQuoteMeta", 1, 1),
        ("snakecase", 1, 1), ("kebabcase", 1, 1), ("camelcase", 1, 1), ("swapcase", 1, 1), ("abbrev", 2, 2), ("abbrevboth", 3, 3),
        ("wrap", 2, 2), ("wrapWith", 3, 3), ("b32dec", 1, 1), ("merge", 1, 3), ("mergeOverwrite", 1, 3), ("duration", 1, 1), ("durationRound", 1, 1),
        ("base", 1, 1), ("dir", 1, 1), ("ext", 1, 1), ("clean", 1, 1), ("isAbs", 1, 1),
        ("len", 1, 1), ("index", 1, 3), ("not", 1, 1), ("and", 1, 3), ("or", 1, 3), ("eq", 2, 3), ("ne", 2, 2), ("lt", 2, 2), ("le", 2, 2),
        ("gt", 2, 2), ("ge", 2, 2), ("print", 0, 3), ("println", 0, 2), ("html", 1, 2), ("js", 1, 2), ("urlquery", 1, 2),
        ("call", 1, 2), ("semver", 1, 1), ("semverCompare", 2, 2), ("urlParse", 1, 1), ("urlJoin", 1, 1), ("decryptAES", 2, 2),
    ];

    private static readonly string[] Arguments =
    [
        "\"abc\"", "\"\"", "\"a,b,c\"", "\"Hello World\"", "\"  pad  \"", "\"10\"", "\"-3\"", "\"1.5\"", "\"x.y/z\"", "\"/a/b.txt\"", "\"[a-c]+\"", "\"HTTPServer2x\"", "\"some_words here\"", "\"ME======\"", "\"90m\"",
        "\"<&>\"", "\"{\\\"k\\\": [1, 2]}\"", "\"v1.2.3-rc.1\"", "\">=1.2 <2\"", "\"https://u@h:1/p?q#f\"", "0", "1", "2", "-1", "7", "1.5", "-2.5", "true", "false",
        ".name", ".empty", ".list", ".nums", ".emptylist", ".map", ".nilvalue", ".count", ".zero", ".pi", ".yes", ".no", ".nested",
        "(list 1 \"a\")", "(list)", "(dict \"k\" \"v\")",
    ];

    private static readonly string[] Printf = ["%v", "%d", "%s", "%q", "%x", "%5v", "%-4s|", "%t", "%.2f", "%03d", "%+v", "%#v"];

    public static IReadOnlyList<(string Name, string Template)> Cases(int count, int seed = 20261201)
    {
        var random = new Random(seed);
        var cases = new List<(string, string)>(count);
        for (int i = 0; i < count; i++)
        {
            cases.Add(($"generated #{i}", Template(random)));
        }

        return cases;
    }

    private static string Template(Random random) => random.Next(7) switch
    {
        6 => $"{{{{ define \"t\" }}}}<{{{{ {Call(random, 1)} }}}}>{{{{ end }}}}{{{{ template \"t\" {Argument(random)} }}}}{{{{ block \"b\" {Call(random, 0)} }}}}[{{{{ . }}}}]{{{{ end }}}}",
        0 => $"{{{{ {Call(random, 2)} }}}}",
        1 => $"{{{{ {Argument(random)} | {Call(random, 0)} }}}}",
        2 => $"{{{{ if {Call(random, 1)} }}}}yes{{{{ else }}}}no{{{{ end }}}}",
        3 => $"{{{{ range $i, $v := {Call(random, 1)} }}}}[{{{{ $i }}}}:{{{{ $v }}}}]{{{{ end }}}}",
        4 => $"{{{{ printf \"{Printf[random.Next(Printf.Length)]}\" ({Call(random, 1)}) }}}}",
        _ => $"{{{{ with {Call(random, 1)} }}}}<{{{{ . }}}}>{{{{ end }}}}{{{{ {Call(random, 1)} }}}}",
    };

    private static string Call(Random random, int depth)
    {
        (string name, int min, int max) = Functions[random.Next(Functions.Length)];
        int arity = random.Next(min, max + 1);
        IEnumerable<string> args = Enumerable.Range(0, arity).Select(_ => depth > 0 && random.Next(4) == 0 ? $"({Call(random, depth - 1)})" : Argument(random));
        return string.Join(" ", [name, .. args]);
    }

    private static string Argument(Random random) => Arguments[random.Next(Arguments.Length)];
}
