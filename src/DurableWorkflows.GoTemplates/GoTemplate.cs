namespace DurableWorkflows.GoTemplates;

/// <summary>
/// Go's <c>text/template</c>: Go's built-ins, the functions given with <see cref="Funcs"/> (as Go's <c>Funcs(FuncMap)</c>),
/// the options given with <see cref="Option"/> (as Go's <c>Option(...)</c>), then <see cref="Render"/>: parse and
/// execute against a data object, returning the text or every error with its line:column. Immutable: each call
/// returns a new template.
/// </summary>
/// <remarks>
/// Options: <c>missingkey=default</c> (or <c>invalid</c>: a missing map key prints <c>&lt;no value&gt;</c>),
/// <c>missingkey=zero</c> (the map's zero value), <c>missingkey=error</c> (an error at the key); and one extension of
/// ours, <c>barenames=variables</c>: a dot-less name that is not a function (<c>{{name}}</c>) reads the top-level
/// variable of that name, where Go would reject it as an undefined function.
/// </remarks>
public sealed class GoTemplate
{
    private readonly FuncMap _funcs;

    private GoTemplate(FuncMap funcs, ExecOptions options)
    {
        _funcs = funcs;
        Options = options;
    }

    public sealed record Output(string? Text, IReadOnlyList<TemplateError> Errors, IReadOnlyList<RenderSegment> Segments);

    /// <summary>A template with Go's built-ins only and Go's default options.</summary>
    public static GoTemplate New() => new(new FuncMap(Builtins.FuncMap.Values), new ExecOptions(MissingKey.Default, BareNames: false, RenderLimits.Default));

    internal ExecOptions Options { get; }

    /// <summary>Adds the functions of <paramref name="funcs"/>; one of a name already there replaces it (sprig's <c>slice</c> replaces Go's).</summary>
    public GoTemplate Funcs(IReadOnlyDictionary<string, GoFunction> funcs)
    {
        ArgumentNullException.ThrowIfNull(funcs);
        var merged = new FuncMap(_funcs.Values);
        foreach (GoFunction f in funcs.Values)
        {
            merged[f.Name] = f;
        }

        return new GoTemplate(merged, Options);
    }

    /// <summary>Sets options in Go's <c>key=value</c> form; an unknown one is an <see cref="ArgumentException"/>, as Go panics.</summary>
    public GoTemplate Option(params string[] options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ExecOptions set = Options;
        foreach (string option in options)
        {
            set = option switch
            {
                "missingkey=default" or "missingkey=invalid" => set with { MissingKey = MissingKey.Default },
                "missingkey=zero" => set with { MissingKey = MissingKey.Zero },
                "missingkey=error" => set with { MissingKey = MissingKey.Error },
                "barenames=variables" => set with { BareNames = true },
                _ => throw new ArgumentException($"unrecognized option: {option}", nameof(options)),
            };
        }

        return new GoTemplate(_funcs, set);
    }

    /// <summary>The same template with other limits on what one rendering may cost.</summary>
    public GoTemplate WithLimits(RenderLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        return new GoTemplate(_funcs, Options with { Limits = limits });
    }

    public bool IsFunction(string name) => _funcs.ContainsKey(name);

    /// <summary>Parses and executes <paramref name="text"/> with <paramref name="data"/> as dot.</summary>
    public Output Render(string text, object? data)
    {
        ArgumentNullException.ThrowIfNull(text);
        using RenderLimits.Scope scope = Options.Limits.Enter();
        IReadOnlyDictionary<string, ListNode> tree;
        try
        {
            tree = GoParser.Parse(text, IsFunction, Options.BareNames, Options.Limits.MaxNesting);
        }
        catch (GoTemplateException e)
        {
            return new Output(null, [new TemplateError(new LineIndex(text).Locate(e.Pos), e.Message)], []);
        }

        (string rendered, List<RenderSegment> segments, List<GoTemplateException> errors) =
            GoExecutor.Execute(text, tree, _funcs, Options, data);
        if (errors.Count > 0)
        {
            var lines = new LineIndex(text);
            return new Output(null, [.. errors.Select(e => new TemplateError(lines.Locate(e.Pos), e.Message))], []);
        }

        return new Output(rendered, [], segments);
    }

    /// <summary>Offsets to 1-based line:column; a line ends at <c>\n</c>, <c>\r\n</c> or a lone <c>\r</c>.</summary>
    private sealed class LineIndex
    {
        private readonly List<int> _starts = [0];
        private readonly int _length;

        public LineIndex(string text)
        {
            _length = text.Length;
            for (int i = 0; i < text.Length; i++)
            {
                if (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= text.Length || text[i + 1] != '\n')))
                {
                    _starts.Add(i + 1);
                }
            }
        }

        public SourceLocation Locate(int offset)
        {
            offset = Math.Clamp(offset, 0, _length);
            int line = _starts.BinarySearch(offset);
            if (line < 0)
            {
                line = ~line - 1;
            }

            return new SourceLocation(line + 1, offset - _starts[line] + 1);
        }
    }
}
