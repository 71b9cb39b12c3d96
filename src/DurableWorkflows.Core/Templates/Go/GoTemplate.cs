namespace DurableWorkflows.Core.Templates.Go;

/// <summary>
/// Go's <c>text/template</c> language as Tinkerbell runs it (<c>missingkey=error</c>, sprig, <c>formatPartition</c>):
/// parse, then execute against a data object, returning the text or every error with its line:column.
/// </summary>
/// <remarks>
/// Extension over Go: a dot-less name that is not a function (<c>{{name}}</c>) reads the top-level variable of
/// that name, as the seed's templates write it; Go would reject it as an undefined function.
/// </remarks>
internal static class GoTemplate
{
    public sealed record Output(string? Text, IReadOnlyList<TemplateError> Errors, IReadOnlyList<RenderSegment> Segments);

    public static bool IsFunction(string name) => GoFunctions.All.ContainsKey(name);

    /// <summary>Parses and executes <paramref name="text"/> with <paramref name="data"/> as dot.</summary>
    public static Output Render(string text, object? data)
    {
        ArgumentNullException.ThrowIfNull(text);
        ListNode tree;
        try
        {
            tree = GoParser.Parse(text, IsFunction);
        }
        catch (GoTemplateException e)
        {
            return new Output(null, [new TemplateError(new LineIndex(text).Locate(e.Pos), e.Message)], []);
        }

        (string rendered, List<RenderSegment> segments, List<GoTemplateException> errors) =
            GoExecutor.Execute(text, tree, GoFunctions.All, data);
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
