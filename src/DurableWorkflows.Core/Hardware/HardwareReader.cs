using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using DurableWorkflows.GoTemplates;
using DurableWorkflows.GoTemplates.Reflect;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace DurableWorkflows.Core.Hardware;

/// <summary>
/// Reads a Hardware object from YAML or JSON (text starting with <c>{</c>), with or without its
/// <c>apiVersion</c>/<c>kind</c>/<c>metadata</c>/<c>spec</c> wrapper. Keys are tink's JSON keys; keys this model
/// does not know are ignored, as Kubernetes does with fields of newer versions. A value of the wrong kind
/// (<c>uefi: maybe</c>) is an error at its line:column.
/// </summary>
internal static class HardwareReader
{
    private enum ScalarKind
    {
        Plain,
        Quoted,
        Null,
    }

    private abstract record Node(SourceLocation Location);

    private sealed record MapNode(SourceLocation Location, List<(string Key, Node Value)> Entries) : Node(Location)
    {
        public Node? Get(string key) => Entries.FirstOrDefault(e => e.Key == key).Value;
    }

    private sealed record SeqNode(SourceLocation Location, List<Node> Items) : Node(Location);

    private sealed record ScalarNode(SourceLocation Location, string Text, ScalarKind Kind) : Node(Location);

    public static HardwareParseResult Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var errors = new List<TemplateError>();
        Node? root;
        try
        {
            root = text.TrimStart().StartsWith('{') ? ReadJson(text) : ReadYaml(text, errors);
        }
        catch (YamlException e)
        {
            return Fail(new SourceLocation((int)Math.Max(1, e.Start.Line), (int)Math.Max(1, e.Start.Column)), $"invalid YAML: {e.Message}");
        }
        catch (JsonException e)
        {
            return Fail(new SourceLocation((int)(e.LineNumber ?? 0) + 1, (int)(e.BytePositionInLine ?? 0) + 1), $"invalid JSON: {e.Message}");
        }

        if (errors.Count > 0)
        {
            return new HardwareParseResult(null, errors);
        }

        if (root is null || root is ScalarNode { Kind: ScalarKind.Null })
        {
            return Fail(new SourceLocation(1, 1), "empty hardware record");
        }

        if (root is not MapNode map)
        {
            return Fail(root.Location, "a hardware record must be a mapping (a Hardware object or its spec)");
        }

        string? name = null;
        SourceLocation? nameLocation = null;
        var annotations = new Dictionary<string, string>(StringComparer.Ordinal);
        Node specNode = map;
        if (map.Get("spec") is { } spec || map.Get("apiVersion") is not null || map.Get("kind") is not null)
        {
            if (map.Get("kind") is ScalarNode kind && kind.Text != "Hardware")
            {
                errors.Add(new TemplateError(kind.Location, $"kind is \"{kind.Text}\", expected \"Hardware\""));
            }

            if (map.Get("metadata") is MapNode meta && meta.Get("name") is ScalarNode { Kind: not ScalarKind.Null } n)
            {
                name = n.Text;
                nameLocation = n.Location;
            }

            if (map.Get("metadata") is MapNode { } metadata)
            {
                ReadAnnotations(metadata, annotations, errors);
            }

            specNode = map.Get("spec") ?? new MapNode(map.Location, []);
        }

        object? specValue = Convert(specNode, typeof(HardwareSpec), "spec", errors);
        if (errors.Count > 0)
        {
            return new HardwareParseResult(null, errors);
        }

        return new HardwareParseResult(new HardwareRecord(name, (HardwareSpec?)specValue ?? new HardwareSpec()) { Annotations = annotations, NameLocation = nameLocation }, []);

        static HardwareParseResult Fail(SourceLocation at, string message) => new(null, [new TemplateError(at, message)]);
    }

    /// <summary><c>metadata.annotations</c>: a map of strings, as Kubernetes has it; the Docker endpoint one must be an endpoint.</summary>
    private static void ReadAnnotations(MapNode metadata, Dictionary<string, string> annotations, List<TemplateError> errors)
    {
        switch (metadata.Get("annotations"))
        {
            case null or ScalarNode { Kind: ScalarKind.Null }:
                return;
            case MapNode map:
                foreach (var (key, value) in map.Entries)
                {
                    if (value is not ScalarNode scalar)
                    {
                        errors.Add(new TemplateError(value.Location, $"metadata.annotations.{key}: expected a string, found {Describe(value)}"));
                        continue;
                    }

                    annotations[key] = scalar.Kind == ScalarKind.Null ? "" : scalar.Text;
                    if (key == HardwareRecord.DockerEndpointAnnotation && HardwareRecord.CheckDockerEndpoint(scalar.Text) is { } error)
                    {
                        errors.Add(new TemplateError(value.Location, $"metadata.annotations.{key}: {error}"));
                    }
                }

                return;
            case Node other:
                errors.Add(new TemplateError(other.Location, $"metadata.annotations: expected a mapping, found {Describe(other)}"));
                return;
        }
    }

    private static object? Convert(Node node, Type type, string path, List<TemplateError> errors)
    {
        bool isNull = node is ScalarNode { Kind: ScalarKind.Null };
        if (type == typeof(string))
        {
            if (node is ScalarNode s)
            {
                return isNull ? "" : s.Text;
            }

            return Error($"{path}: expected a string");
        }

        if (type == typeof(long))
        {
            if (isNull)
            {
                return 0L;
            }

            if (node is ScalarNode { Kind: ScalarKind.Plain } s && long.TryParse(s.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long l))
            {
                return l;
            }

            return Error($"{path}: expected an integer, found {Describe(node)}");
        }

        if (type == typeof(bool) || type == typeof(bool?))
        {
            if (isNull)
            {
                return type == typeof(bool) ? false : null;
            }

            if (node is ScalarNode { Kind: ScalarKind.Plain } s && bool.TryParse(s.Text, out bool b))
            {
                return b;
            }

            return Error($"{path}: expected true or false, found {Describe(node)}");
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>))
        {
            Type element = type.GetGenericArguments()[0];
            var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(element))!;
            if (isNull)
            {
                return list;
            }

            if (node is not SeqNode seq)
            {
                return Error($"{path}: expected a list, found {Describe(node)}");
            }

            for (int i = 0; i < seq.Items.Count; i++)
            {
                object? item = Convert(seq.Items[i], element, $"{path}[{i}]", errors);
                if (item is not null)
                {
                    list.Add(item);
                }
            }

            return list;
        }

        if (type.GetCustomAttribute<GoTypeAttribute>() is not null)
        {
            if (isNull)
            {
                return null;
            }

            if (node is not MapNode map)
            {
                return Error($"{path}: expected a mapping, found {Describe(node)}");
            }

            object instance = Activator.CreateInstance(type)!;
            foreach (PropertyInfo p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                GoJsonAttribute? json = p.GetCustomAttribute<GoJsonAttribute>();
                if (json is null || map.Get(json.Name) is not { } value)
                {
                    continue;
                }

                object? converted = Convert(value, p.PropertyType, $"{path}.{json.Name}", errors);
                if (converted is not null || !p.PropertyType.IsValueType)
                {
                    p.SetValue(instance, converted);
                }
            }

            return instance;
        }

        return Error($"{path}: unsupported field type");

        object? Error(string message)
        {
            errors.Add(new TemplateError(node.Location, message));
            return null;
        }
    }

    private static string Describe(Node node) => node switch
    {
        MapNode => "a mapping",
        SeqNode => "a list",
        ScalarNode s => $"\"{s.Text}\"",
        _ => "a value",
    };

    private static Node? ReadYaml(string text, List<TemplateError> errors)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        if (stream.Documents.Count == 0)
        {
            return null;
        }

        if (stream.Documents.Count > 1)
        {
            YamlNode second = stream.Documents[1].RootNode;
            errors.Add(new TemplateError(Loc(second.Start), "expected one Hardware object, found several YAML documents"));
        }

        return FromYaml(stream.Documents[0].RootNode, 0);
    }

    private static SourceLocation Loc(Mark mark) => new((int)Math.Max(1, mark.Line), (int)Math.Max(1, mark.Column));

    private static Node FromYaml(YamlNode node, int depth)
    {
        if (depth > 64)
        {
            throw new YamlException(node.Start, node.End, "nesting too deep");
        }

        switch (node)
        {
            case YamlMappingNode map:
                var entries = new List<(string, Node)>();
                foreach (KeyValuePair<YamlNode, YamlNode> e in map.Children)
                {
                    string key = e.Key is YamlScalarNode k ? k.Value ?? "" : e.Key.ToString();
                    entries.Add((key, FromYaml(e.Value, depth + 1)));
                }

                return new MapNode(Loc(map.Start), entries);
            case YamlSequenceNode seq:
                return new SeqNode(Loc(seq.Start), [.. seq.Children.Select(c => FromYaml(c, depth + 1))]);
            case YamlScalarNode scalar:
                string value = scalar.Value ?? "";
                ScalarKind kind = scalar.Style is ScalarStyle.Plain or ScalarStyle.Any
                    ? value is "" or "~" or "null" or "Null" or "NULL" ? ScalarKind.Null : ScalarKind.Plain
                    : ScalarKind.Quoted;
                return new ScalarNode(Loc(scalar.Start), value, kind);
            default:
                // An alias is resolved by the representation model; anything else reads as null.
                return new ScalarNode(Loc(node.Start), "", ScalarKind.Null);
        }
    }

    private static Node ReadJson(string text)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        var lineStarts = new List<int> { 0 };
        for (int i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == (byte)'\n')
            {
                lineStarts.Add(i + 1);
            }
        }

        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = 64 });
        if (!reader.Read())
        {
            return new ScalarNode(new SourceLocation(1, 1), "", ScalarKind.Null);
        }

        Node root = ReadJsonValue(ref reader, lineStarts);
        if (reader.Read())
        {
            throw new JsonException("unexpected content after the JSON object", null, LineOf(lineStarts, (int)reader.TokenStartIndex).Line - 1, null);
        }

        return root;
    }

    private static SourceLocation LineOf(List<int> lineStarts, int offset)
    {
        int line = lineStarts.BinarySearch(offset);
        if (line < 0)
        {
            line = ~line - 1;
        }

        return new SourceLocation(line + 1, offset - lineStarts[line] + 1);
    }

    private static Node ReadJsonValue(ref Utf8JsonReader reader, List<int> lineStarts)
    {
        SourceLocation at = LineOf(lineStarts, (int)reader.TokenStartIndex);
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var entries = new List<(string, Node)>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    string key = reader.GetString() ?? "";
                    reader.Read();
                    entries.Add((key, ReadJsonValue(ref reader, lineStarts)));
                }

                return new MapNode(at, entries);
            case JsonTokenType.StartArray:
                var items = new List<Node>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    items.Add(ReadJsonValue(ref reader, lineStarts));
                }

                return new SeqNode(at, items);
            case JsonTokenType.String:
                return new ScalarNode(at, reader.GetString() ?? "", ScalarKind.Quoted);
            case JsonTokenType.Number:
                return new ScalarNode(at, Encoding.UTF8.GetString(reader.ValueSpan), ScalarKind.Plain);
            case JsonTokenType.True or JsonTokenType.False:
                return new ScalarNode(at, reader.TokenType == JsonTokenType.True ? "true" : "false", ScalarKind.Plain);
            default:
                return new ScalarNode(at, "", ScalarKind.Null);
        }
    }
}
