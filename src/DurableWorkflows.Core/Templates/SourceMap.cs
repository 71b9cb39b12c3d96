using DurableWorkflows.GoTemplates;
namespace DurableWorkflows.Core.Templates;

/// <summary>
/// Maps a character offset in rendered text back to the line:column of the template the user wrote, so that
/// errors found after rendering (YAML syntax, schema, validation) point at the user's file, not at the rendered text.
/// Text copied verbatim maps one to one; text produced by an action maps to the start of that action.
/// </summary>
public sealed class SourceMap
{
    private readonly int[] _lineStarts;
    private readonly Segment[] _segments;
    private readonly int _sourceLength;

    /// <param name="source">The template as written.</param>
    /// <param name="segments">Rendered ranges in rendered order; a range not <see cref="Segment.Verbatim"/> maps to its action.</param>
    public SourceMap(string source, IEnumerable<Segment> segments)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(segments);
        _lineStarts = LineStarts(source);
        _segments = [.. segments];
        _sourceLength = source.Length;
    }

    /// <summary>The map of text that was not transformed: offsets are the same on both sides.</summary>
    public static SourceMap Identity(string text) => new(text, [new Segment(0, 0, text.Length, true)]);

    /// <summary>A rendered range: <paramref name="Length"/> characters at <paramref name="RenderedStart"/>,
    /// which came from <paramref name="SourceStart"/>.</summary>
    public readonly record struct Segment(int RenderedStart, int SourceStart, int Length, bool Verbatim);

    /// <summary>The source location of a rendered offset.</summary>
    public SourceLocation Locate(long renderedOffset) => LocateSource(ToSourceOffset(renderedOffset));

    /// <summary>The location of an offset in the source text.</summary>
    public SourceLocation LocateSource(int sourceOffset)
    {
        sourceOffset = Math.Clamp(sourceOffset, 0, _sourceLength);
        int line = Array.BinarySearch(_lineStarts, sourceOffset);
        if (line < 0)
        {
            line = ~line - 1;
        }

        return new SourceLocation(line + 1, sourceOffset - _lineStarts[line] + 1);
    }

    private int ToSourceOffset(long renderedOffset)
    {
        if (_segments.Length == 0 || renderedOffset < 0)
        {
            return 0;
        }

        int lo = 0, hi = _segments.Length - 1, found = 0;
        while (lo <= hi)
        {
            int mid = (lo + hi) / 2;
            if (_segments[mid].RenderedStart <= renderedOffset)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        Segment s = _segments[found];
        long into = renderedOffset - s.RenderedStart;
        if (!s.Verbatim)
        {
            return s.SourceStart;
        }

        return (int)Math.Min(s.SourceStart + into, _sourceLength);
    }

    /// <summary>Offsets where lines begin: after <c>\n</c>, and after a <c>\r</c> not followed by <c>\n</c>.</summary>
    internal static int[] LineStarts(string text)
    {
        var starts = new List<int> { 0 };
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\n' || (c == '\r' && (i + 1 >= text.Length || text[i + 1] != '\n')))
            {
                starts.Add(i + 1);
            }
        }

        return [.. starts];
    }
}
