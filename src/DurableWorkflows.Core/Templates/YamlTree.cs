using DurableWorkflows.GoTemplates;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace DurableWorkflows.Core.Templates;

internal enum YamlKind
{
    Scalar,
    Sequence,
    Mapping,
}

/// <summary>A YAML node with its source location. Scalars keep their raw text; nothing is type-converted.</summary>
internal sealed class YamlTreeNode
{
    private YamlTreeNode(YamlKind kind, SourceLocation location)
    {
        Kind = kind;
        Location = location;
    }

    public YamlKind Kind { get; }

    public SourceLocation Location { get; }

    /// <summary>The scalar's text exactly as YAML reads it (no type conversion).</summary>
    public string Value { get; private init; } = "";

    public ScalarStyle Style { get; private init; }

    /// <summary>A sequence's items (empty for other kinds).</summary>
    public List<YamlTreeNode> Items { get; private init; } = NoItems;

    /// <summary>A mapping's pairs in document order (empty for other kinds).</summary>
    public List<KeyValuePair<YamlTreeNode, YamlTreeNode>> Pairs { get; private init; } = NoPairs;

    // Shared empty lists: scalars, most of the nodes, allocate none. Only the reader adds, and only to its own lists.
    private static readonly List<YamlTreeNode> NoItems = [];
    private static readonly List<KeyValuePair<YamlTreeNode, YamlTreeNode>> NoPairs = [];

    /// <summary>A plain <c>~</c>, <c>null</c> or empty scalar: YAML's null.</summary>
    public bool IsNull => Kind == YamlKind.Scalar && Style is ScalarStyle.Plain or ScalarStyle.Any
        && Value is "" or "~" or "null" or "Null" or "NULL";

    public string KindName => Kind switch
    {
        YamlKind.Scalar => IsNull ? "null" : "scalar",
        YamlKind.Sequence => "list",
        _ => "map",
    };

    public static YamlTreeNode Scalar(SourceLocation location, string value, ScalarStyle style) =>
        new(YamlKind.Scalar, location) { Value = value, Style = style };

    public static YamlTreeNode Sequence(SourceLocation location) => new(YamlKind.Sequence, location) { Items = [] };

    public static YamlTreeNode Mapping(SourceLocation location) => new(YamlKind.Mapping, location) { Pairs = [] };
}

/// <summary>Reads one YAML document into <see cref="YamlTreeNode"/>s through YamlDotNet's parser events.
/// Syntax errors, duplicate keys, unknown aliases and excessive nesting become positioned errors; nothing throws.</summary>
internal sealed class YamlTreeReader
{
    private const int MaxDepth = 64;
    private readonly SourceMap _map;
    private readonly List<TemplateError> _errors;
    private readonly Dictionary<string, YamlTreeNode> _anchors = new(StringComparer.Ordinal);
    private readonly HashSet<string> _pending = new(StringComparer.Ordinal);
    private IParser _parser = null!;

    private YamlTreeReader(SourceMap map, List<TemplateError> errors)
    {
        _map = map;
        _errors = errors;
    }

    /// <summary>The document's root, or null when there is none or the YAML is malformed (then errors say why).</summary>
    public static YamlTreeNode? Read(string text, SourceMap map, List<TemplateError> errors)
    {
        var reader = new YamlTreeReader(map, errors);
        try
        {
            return reader.ReadStream(text);
        }
        catch (YamlException e)
        {
            long index = e.Start.Index;

            // YamlDotNet gives no position for a tab used as indentation; the first such tab is the culprit.
            if (e.Message.Contains("tab", StringComparison.OrdinalIgnoreCase) && FirstIndentingTab(text) is { } tab)
            {
                index = tab;
            }

            errors.Add(new TemplateError(map.Locate(index), "YAML syntax error: " + Describe(e)));
            return null;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            errors.Add(new TemplateError(new SourceLocation(1, 1), "YAML could not be read: " + e.Message));
            return null;
        }
    }

    /// <summary>The offset of the first tab in a line's leading whitespace.</summary>
    private static int? FirstIndentingTab(string text)
    {
        bool lineStart = true;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\n')
            {
                lineStart = true;
            }
            else if (lineStart && c == '\t')
            {
                return i;
            }
            else if (c != ' ')
            {
                lineStart = false;
            }
        }

        return null;
    }

    private YamlTreeNode? ReadStream(string text)
    {
        _parser = new Parser(new StringReader(text));
        _parser.Consume<StreamStart>();
        if (_parser.Accept<StreamEnd>(out _))
        {
            return null;
        }

        _parser.Consume<DocumentStart>();
        YamlTreeNode root = ReadNode(0);
        _parser.Consume<DocumentEnd>();
        if (_parser.Accept<DocumentStart>(out var second))
        {
            _errors.Add(new TemplateError(
                _map.Locate(second.Start.Index),
                "a template is one YAML document; found a second one (remove the '---' or what follows it)"));
            return null;
        }

        _parser.Consume<StreamEnd>();
        return root;
    }

    private YamlTreeNode ReadNode(int depth)
    {
        if (depth > MaxDepth)
        {
            var current = _parser.Current!;
            throw new YamlException(current.Start, current.End, $"nesting deeper than {MaxDepth} levels");
        }

        ParsingEvent e = _parser.Current ?? throw new YamlException("unexpected end of the YAML stream");
        SourceLocation at = _map.Locate(e.Start.Index);
        switch (e)
        {
            case AnchorAlias alias:
                _parser.MoveNext();
                if (_anchors.TryGetValue(alias.Value.Value, out var target))
                {
                    return target;
                }

                _errors.Add(new TemplateError(at, _pending.Contains(alias.Value.Value)
                    ? $"alias '*{alias.Value.Value}' refers to the node that defines it"
                    : $"unknown alias '*{alias.Value.Value}'"));
                return YamlTreeNode.Scalar(at, "", ScalarStyle.Plain);

            case Scalar scalar:
                _parser.MoveNext();
                var s = YamlTreeNode.Scalar(at, scalar.Value, scalar.Style);
                Remember(scalar.Anchor, s);
                return s;

            case SequenceStart start:
            {
                _parser.MoveNext();
                var seq = YamlTreeNode.Sequence(at);
                Begin(start.Anchor);
                while (!_parser.TryConsume<SequenceEnd>(out _))
                {
                    seq.Items.Add(ReadNode(depth + 1));
                }

                Remember(start.Anchor, seq);
                return seq;
            }

            case MappingStart start:
            {
                _parser.MoveNext();
                var map = YamlTreeNode.Mapping(at);
                Begin(start.Anchor);
                var merges = new List<YamlTreeNode>();
                var seen = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
                while (!_parser.TryConsume<MappingEnd>(out _))
                {
                    YamlTreeNode key = ReadNode(depth + 1);
                    YamlTreeNode value = ReadNode(depth + 1);
                    if (key.Kind == YamlKind.Scalar && key.Style == ScalarStyle.Plain && key.Value == "<<")
                    {
                        merges.Add(value);
                        continue;
                    }

                    if (key.Kind == YamlKind.Scalar)
                    {
                        if (seen.TryGetValue(key.Value, out var first))
                        {
                            _errors.Add(new TemplateError(key.Location, $"duplicate key '{key.Value}' (first at {first})"));
                            continue;
                        }

                        seen[key.Value] = key.Location;
                    }

                    map.Pairs.Add(new(key, value));
                }

                foreach (var merge in merges)
                {
                    Merge(map, merge, seen);
                }

                Remember(start.Anchor, map);
                return map;
            }

            default:
                throw new YamlException(e.Start, e.End, $"unexpected {e.GetType().Name}");
        }
    }

    /// <summary>YAML merge keys (<c>&lt;&lt;: *base</c>): keys of the merged maps the map does not set itself.</summary>
    private void Merge(YamlTreeNode map, YamlTreeNode merge, Dictionary<string, SourceLocation> seen)
    {
        IEnumerable<YamlTreeNode> sources = merge.Kind == YamlKind.Sequence ? merge.Items : [merge];
        foreach (var source in sources)
        {
            if (source.Kind != YamlKind.Mapping)
            {
                _errors.Add(new TemplateError(source.Location, $"a merge key '<<' takes a map or a list of maps, not a {source.KindName}"));
                continue;
            }

            foreach (var pair in source.Pairs)
            {
                if (pair.Key.Kind == YamlKind.Scalar && seen.TryAdd(pair.Key.Value, pair.Key.Location))
                {
                    map.Pairs.Add(pair);
                }
            }
        }
    }

    /// <summary>An anchored collection is being read: an alias to it from inside would make a cycle.</summary>
    private void Begin(AnchorName anchor)
    {
        if (!anchor.IsEmpty)
        {
            _anchors.Remove(anchor.Value);
            _pending.Add(anchor.Value);
        }
    }

    /// <summary>The node is complete: aliases may refer to it from now on.</summary>
    private void Remember(AnchorName anchor, YamlTreeNode node)
    {
        if (!anchor.IsEmpty)
        {
            _pending.Remove(anchor.Value);
            _anchors[anchor.Value] = node;
        }
    }

    private static string Describe(YamlException e)
    {
        string message = e.InnerException is YamlException inner ? inner.Message : e.Message;
        int nl = message.IndexOf('\n', StringComparison.Ordinal);
        message = nl < 0 ? message : message[..nl];

        // YamlDotNet prefixes "(Line: 3, Col: 5, Idx: 20) - (Line: ...): "; the position is ours to give.
        int marker = message.LastIndexOf("): ", StringComparison.Ordinal);
        return marker >= 0 && message.StartsWith("(Line", StringComparison.Ordinal) ? message[(marker + 3)..] : message;
    }
}
