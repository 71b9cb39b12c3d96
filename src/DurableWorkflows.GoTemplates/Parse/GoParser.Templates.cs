namespace DurableWorkflows.GoTemplates.Parse;

/// <summary>
/// Named templates (parse.go: parseDefinition, templateControl, blockControl, add): <c>{{define "n"}}</c> at the
/// top level, <c>{{template "n" pipeline}}</c>, and <c>{{block "n" pipeline}}</c> (a definition used in place).
/// Each definition has its own variables (only <c>$</c>) and is outside any <c>range</c>.
/// </summary>
internal sealed partial class GoParser
{
    /// <summary>The name tink gives the workflow's template: <c>{{template "workflow-template"}}</c> calls the whole.</summary>
    internal const string RootName = "workflow-template";

    private readonly Dictionary<string, ListNode> _templates = new(StringComparer.Ordinal);
    private int _inDefinition;

    private void Define(int actionPos)
    {
        string name = TemplateName(NextNonSpace(), "define clause");
        Expect(TokenKind.RightDelim, "define clause");
        Add(name, Definition(actionPos, "define"), actionPos);
    }

    private TemplateNode TemplateCall(int actionPos)
    {
        string name = TemplateName(NextNonSpace(), "template clause");
        PipeNode? pipe = null;
        Token next = NextNonSpace();
        if (next.Kind != TokenKind.RightDelim)
        {
            Backup();
            pipe = Pipeline("template clause", TokenKind.RightDelim, actionPos);
        }

        return new TemplateNode(actionPos, pipe?.End ?? next.Pos + 2, actionPos, name, pipe);
    }

    private TemplateNode Block(int actionPos)
    {
        string name = TemplateName(NextNonSpace(), "block clause");
        PipeNode pipe = Pipeline("block clause", TokenKind.RightDelim, actionPos);
        Add(name, Definition(actionPos, "block"), actionPos);
        return new TemplateNode(actionPos, pipe.End, actionPos, name, pipe);
    }

    private string TemplateName(Token t, string context) =>
        t.Kind is TokenKind.String or TokenKind.RawString ? Unquote(t) : throw Unexpected(t, context);

    /// <summary>A definition's body up to its <c>{{end}}</c>, with a scope of its own.</summary>
    private ListNode Definition(int actionPos, string context)
    {
        List<string> outerVars = [.. _vars];
        int outerRange = _rangeDepth;
        _inDefinition++;
        _vars.Clear();
        _vars.Add("$");
        _rangeDepth = 0;
        try
        {
            (ListNode body, Marker marker) = ItemList(context, actionPos);
            return marker == Marker.End ? body : throw Fail($"unexpected {{{{else}}}} in {context} clause");
        }
        finally
        {
            _vars.Clear();
            _vars.AddRange(outerVars);
            _rangeDepth = outerRange;
            _inDefinition--;
        }
    }

    /// <summary>Go's rule: an empty definition (blanks only) never replaces one, and two non-empty ones are an error.</summary>
    private void Add(string name, ListNode body, int pos)
    {
        if (!_templates.TryGetValue(name, out ListNode? existing) || IsEmpty(existing))
        {
            _templates[name] = body;
        }
        else if (!IsEmpty(body))
        {
            throw new GoTemplateException(pos, $"multiple definition of template \"{name}\"");
        }
    }

    private static bool IsEmpty(GoNode node) => node switch
    {
        TextNode text => string.IsNullOrWhiteSpace(text.Text),
        ListNode list => list.Nodes.All(IsEmpty),
        _ => false,
    };
}
