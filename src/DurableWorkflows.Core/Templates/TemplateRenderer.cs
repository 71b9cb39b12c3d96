using System.Globalization;
using System.Text;

namespace DurableWorkflows.Core.Templates;

/// <summary>What a template may read while it is rendered.</summary>
/// <param name="Variables">The user's variables (<c>--var K=V</c>, the API's <c>vars</c>).</param>
/// <param name="WorkflowId">The built-in <c>workflowid</c>.</param>
public sealed record TemplateData(IReadOnlyDictionary<string, string> Variables, string WorkflowId)
{
    /// <summary>The name of the built-in variable holding the workflow id.</summary>
    public const string WorkflowIdName = "workflowid";

    /// <summary>The value of a variable, the built-in <c>workflowid</c> first.</summary>
    public bool TryGet(string name, out string value)
    {
        if (name == WorkflowIdName)
        {
            value = WorkflowId;
            return true;
        }

        if (Variables.TryGetValue(name, out string? v))
        {
            value = v;
            return true;
        }

        value = "";
        return false;
    }
}

/// <summary>The rendered text, or the errors that stopped rendering.</summary>
/// <param name="Map">Maps offsets in <paramref name="Text"/> back to the template as written; null means the
/// offsets are the same on both sides.</param>
public sealed record RenderResult(string? Text, IReadOnlyList<TemplateError> Errors, SourceMap? Map = null)
{
    public bool Succeeded => Text is not null && Errors.Count == 0;
}

/// <summary>
/// Renders template actions (<c>{{ ... }}</c>) before the YAML is parsed, as Tinkerbell does.
/// Supported: <c>{{.name}}</c>, <c>{{ .name }}</c>, the dot-less <c>{{name}}</c>, the built-in <c>workflowid</c>,
/// comments <c>{{/* ... */}}</c>, string literals <c>{{"{{"}}</c>, and the trim markers <c>{{-</c> / <c>-}}</c>.
/// Any other text passes through untouched. A missing variable is an error naming it, at its line:column.
/// </summary>
public static class TemplateRenderer
{
    private static readonly HashSet<string> Keywords =
    [
        "if", "else", "end", "range", "with", "define", "template", "block", "break", "continue", "nil", "true", "false",
    ];

    public static RenderResult Render(string text, TemplateData data)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(data);

        var errors = new List<TemplateError>();
        var segments = new List<SourceMap.Segment>();
        var output = new StringBuilder(text.Length);
        var lines = new SourceMap(text, []);
        int i = 0;
        while (i < text.Length)
        {
            int open = text.IndexOf("{{", i, StringComparison.Ordinal);
            if (open < 0)
            {
                AppendVerbatim(text, i, text.Length, output, segments);
                break;
            }

            int p = open + 2;
            bool trimLeft = p + 1 < text.Length && text[p] == '-' && IsSpace(text[p + 1]);
            if (trimLeft)
            {
                p++;
            }

            int close = FindClose(text, p);
            if (close < 0)
            {
                errors.Add(new TemplateError(lines.LocateSource(open), "unclosed action: '{{' without a matching '}}'"));
                AppendVerbatim(text, i, text.Length, output, segments);
                break;
            }

            int end = close + 2;
            bool trimRight = close - 1 >= p && text[close - 1] == '-' && close - 2 >= p && IsSpace(text[close - 2]);
            int contentEnd = trimRight ? close - 1 : close;

            int literalEnd = open;
            if (trimLeft)
            {
                while (literalEnd > i && IsSpace(text[literalEnd - 1]))
                {
                    literalEnd--;
                }
            }

            AppendVerbatim(text, i, literalEnd, output, segments);

            string action = text[p..contentEnd].Trim();
            if (Evaluate(action, data, out string value, out string? error))
            {
                if (value.Length > 0)
                {
                    segments.Add(new SourceMap.Segment(output.Length, open, value.Length, Verbatim: false));
                    output.Append(value);
                }
            }
            else
            {
                errors.Add(new TemplateError(lines.LocateSource(open), error!));
            }

            i = end;
            if (trimRight)
            {
                while (i < text.Length && IsSpace(text[i]))
                {
                    i++;
                }
            }
        }

        return errors.Count > 0
            ? new RenderResult(null, errors)
            : new RenderResult(output.ToString(), errors, new SourceMap(text, segments));
    }

    private static void AppendVerbatim(string text, int from, int to, StringBuilder output, List<SourceMap.Segment> segments)
    {
        if (to <= from)
        {
            return;
        }

        segments.Add(new SourceMap.Segment(output.Length, from, to - from, Verbatim: true));
        output.Append(text, from, to - from);
    }

    /// <summary>The index of the <c>}}</c> closing an action whose content starts at <paramref name="from"/>;
    /// quoted strings inside the action may hold <c>}}</c>.</summary>
    private static int FindClose(string text, int from)
    {
        int i = from;
        while (i < text.Length)
        {
            char c = text[i];
            if (c == '}' && i + 1 < text.Length && text[i + 1] == '}')
            {
                return i;
            }

            if (c is '"' or '`')
            {
                int j = i + 1;
                while (j < text.Length && text[j] != c && text[j] != '\n')
                {
                    j += c == '"' && text[j] == '\\' ? 2 : 1;
                }

                if (j >= text.Length || text[j] == '\n')
                {
                    // An unterminated quote: let the action end at the next '}}' all the same.
                    i++;
                    continue;
                }

                i = j + 1;
                continue;
            }

            i++;
        }

        return -1;
    }

    private static bool Evaluate(string action, TemplateData data, out string value, out string? error)
    {
        value = "";
        error = null;
        if (action.StartsWith("/*", StringComparison.Ordinal) && action.EndsWith("*/", StringComparison.Ordinal) && action.Length >= 4)
        {
            return true;
        }

        if (action.Length >= 2 && action[0] == '`' && action[^1] == '`' && action.IndexOf('`', 1) == action.Length - 1)
        {
            value = action[1..^1];
            return true;
        }

        if (action.Length >= 2 && action[0] == '"' && action[^1] == '"')
        {
            if (TryUnquote(action, out value))
            {
                return true;
            }

            error = $"malformed string literal in action {{{{{action}}}}}";
            return false;
        }

        string name = action.StartsWith('.') ? action[1..] : action;
        if (IsIdentifier(name) && !(action[0] != '.' && Keywords.Contains(name)))
        {
            if (data.TryGet(name, out value))
            {
                return true;
            }

            error = $"missing variable \"{name}\" (used as {{{{{action}}}}})";
            return false;
        }

        error = action.Length == 0
            ? "empty action {{}}"
            : $"unsupported template action {{{{{action}}}}}: only variables such as {{{{.name}}}} are supported";
        return false;
    }

    private static bool IsIdentifier(string name)
    {
        if (name.Length == 0 || !(char.IsLetter(name[0]) || name[0] == '_'))
        {
            return false;
        }

        foreach (char c in name)
        {
            if (!(char.IsLetterOrDigit(c) || c == '_'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryUnquote(string quoted, out string value)
    {
        var sb = new StringBuilder();
        value = "";
        for (int i = 1; i < quoted.Length - 1; i++)
        {
            char c = quoted[i];
            if (c == '"')
            {
                return false;
            }

            if (c != '\\')
            {
                sb.Append(c);
                continue;
            }

            if (++i >= quoted.Length - 1)
            {
                return false;
            }

            switch (quoted[i])
            {
                case 'n': sb.Append('\n'); break;
                case 't': sb.Append('\t'); break;
                case 'r': sb.Append('\r'); break;
                case '\\': sb.Append('\\'); break;
                case '"': sb.Append('"'); break;
                case '\'': sb.Append('\''); break;
                case 'x' when i + 2 < quoted.Length - 1
                    && int.TryParse(quoted.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int hex):
                    sb.Append((char)hex);
                    i += 2;
                    break;
                default: return false;
            }
        }

        value = sb.ToString();
        return true;
    }

    private static bool IsSpace(char c) => c is ' ' or '\t' or '\r' or '\n';
}
