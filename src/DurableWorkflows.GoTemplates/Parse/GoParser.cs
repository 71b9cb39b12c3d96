namespace DurableWorkflows.GoTemplates.Parse;

/// <summary>An error found while parsing or executing, at an offset of the template.</summary>
internal sealed class GoTemplateException(int pos, string message) : Exception(message)
{
    public int Pos { get; } = pos;
}

/// <summary>
/// Go's <c>text/template/parse</c>: builds the tree, checks variables are declared before use, that functions
/// exist (a dot-less name that is not a function becomes a <see cref="BareNameNode"/>), and that
/// <c>if</c>/<c>with</c>/<c>range</c> have their <c>end</c>.
/// </summary>
internal sealed partial class GoParser
{
    private readonly List<Token> _tokens;
    private readonly Func<string, bool> _isFunction;
    private readonly bool _bareNames;
    private readonly List<string> _vars = ["$"];
    private int _index;
    private int _actionPos;
    private int _rangeDepth;
    private int _depth;

    /// <summary>How deep parentheses and control structures may nest; deeper input is an error, not a stack overflow.</summary>
    private readonly int _maxDepth;

    private GoParser(List<Token> tokens, Func<string, bool> isFunction, bool bareNames, int maxDepth)
    {
        _tokens = tokens;
        _maxDepth = maxDepth;
        _isFunction = isFunction;
        _bareNames = bareNames;
    }

    /// <param name="bareNames">A name that is not a function is a <see cref="BareNameNode"/> (our extension); else, as in Go, an error.</param>
    /// <returns>Every template by name, the text outside the definitions as <see cref="RootName"/> (unless it is blank and a definition has that name).</returns>
    public static IReadOnlyDictionary<string, ListNode> Parse(string text, Func<string, bool> isFunction, bool bareNames, int maxDepth)
    {
        var parser = new GoParser(GoLexer.Lex(text), isFunction, bareNames, maxDepth);
        ListNode root = parser.ParseRoot();
        parser.Add(RootName, root, 0);
        return parser._templates;
    }

    private ListNode ParseRoot()
    {
        var nodes = new List<GoNode>();
        while (Peek().Kind != TokenKind.Eof)
        {
            GoNode? n = TextOrAction(out Marker marker);
            if (marker != Marker.None)
            {
                throw Fail(marker == Marker.End ? "unexpected {{end}}" : "unexpected {{else}}");
            }

            if (n is not null)
            {
                nodes.Add(n);
            }
        }

        return new ListNode(nodes);
    }

    private enum Marker
    {
        None,
        End,
        Else,
    }

    private Token Next()
    {
        Token t = _tokens[Math.Min(_index, _tokens.Count - 1)];
        _index++;
        if (t.Kind == TokenKind.Error)
        {
            throw new GoTemplateException(t.Value is "unclosed comment" or "comment ends before closing delimiter" ? t.Pos : _actionPos, t.Value);
        }

        return t;
    }

    private Token Peek()
    {
        Token t = _tokens[Math.Min(_index, _tokens.Count - 1)];
        if (t.Kind == TokenKind.Error)
        {
            Next();
        }

        return t;
    }

    private void Backup() => _index--;

    private Token NextNonSpace()
    {
        Token t;
        do
        {
            t = Next();
        }
        while (t.Kind == TokenKind.Space);
        return t;
    }

    private Token PeekNonSpace()
    {
        Token t = NextNonSpace();
        Backup();
        return t;
    }

    private GoTemplateException Fail(string message) => new(_actionPos, message);

    private static string Describe(Token t) => t.Kind switch
    {
        TokenKind.Eof => "EOF",
        TokenKind.RightDelim => "\"}}\"",
        TokenKind.RightParen => "\")\"",
        TokenKind.Space => "space",
        _ => $"\"{t.Value}\"",
    };

    private GoTemplateException Unexpected(Token t, string context) =>
        t.Kind == TokenKind.Eof ? Fail($"unclosed action") : Fail($"unexpected {Describe(t)} in {context}");

    private Token Expect(TokenKind kind, string context)
    {
        Token t = NextNonSpace();
        if (t.Kind != kind)
        {
            throw Unexpected(t, context);
        }

        return t;
    }

    private GoNode? TextOrAction(out Marker marker)
    {
        marker = Marker.None;
        Token t = NextNonSpace();
        switch (t.Kind)
        {
            case TokenKind.Text:
                return new TextNode(t.Pos, t.Value);
            case TokenKind.LeftDelim:
                _actionPos = t.Pos;
                return Action(out marker);
            default:
                throw Unexpected(t, "input");
        }
    }

    private GoNode? Action(out Marker marker)
    {
        marker = Marker.None;
        int actionPos = _actionPos;
        Token t = NextNonSpace();
        switch (t.Kind)
        {
            case TokenKind.Define when _depth == 0 && _inDefinition == 0:
                Define(actionPos);
                return null;
            case TokenKind.Define:
                throw Fail("{{define}} inside another template: definitions are at the top level");
            case TokenKind.Template:
                return TemplateCall(actionPos);
            case TokenKind.Block:
                return Block(actionPos);
            case TokenKind.Break or TokenKind.Continue:
                if (_rangeDepth == 0)
                {
                    throw Fail($"{{{{{t.Value}}}}} outside {{{{range}}}}");
                }

                Token close = Expect(TokenKind.RightDelim, t.Value);
                return t.Kind == TokenKind.Break
                    ? new BreakNode(t.Pos, close.Pos + 2, actionPos)
                    : new ContinueNode(t.Pos, close.Pos + 2, actionPos);
            case TokenKind.Else:
                // "else if" and "else with" leave the keyword for the caller.
                Token peek = PeekNonSpace();
                if (peek.Kind is not (TokenKind.If or TokenKind.With))
                {
                    Expect(TokenKind.RightDelim, "else");
                }

                marker = Marker.Else;
                return null;
            case TokenKind.End:
                Expect(TokenKind.RightDelim, "end");
                marker = Marker.End;
                return null;
            case TokenKind.If:
                return Control(actionPos, "if");
            case TokenKind.Range:
                return Control(actionPos, "range");
            case TokenKind.With:
                return Control(actionPos, "with");
        }

        Backup();
        PipeNode pipe = Pipeline("command", TokenKind.RightDelim, actionPos);
        return new ActionNode(actionPos, pipe.End, actionPos, pipe);
    }

    private (ListNode List, Marker Marker) ItemList(string context, int openPos)
    {
        var nodes = new List<GoNode>();
        while (PeekNonSpace().Kind != TokenKind.Eof)
        {
            GoNode? n = TextOrAction(out Marker marker);
            if (marker != Marker.None)
            {
                return (new ListNode(nodes), marker);
            }

            if (n is not null)
            {
                nodes.Add(n);
            }
        }

        throw new GoTemplateException(openPos, $"unexpected EOF: {{{{{context}}}}} has no matching {{{{end}}}}");
    }

    private GoNode Control(int actionPos, string context)
    {
        int varMark = _vars.Count;
        if (++_depth > _maxDepth)
        {
            throw Fail($"{{{{{context}}}}} nested more than {_maxDepth} deep");
        }

        try
        {
            PipeNode pipe = Pipeline(context, TokenKind.RightDelim, actionPos);
            if (context == "range")
            {
                _rangeDepth++;
            }

            (ListNode list, Marker marker) = ItemList(context, actionPos);
            if (context == "range")
            {
                _rangeDepth--;
            }

            ListNode? elseList = null;
            if (marker == Marker.Else)
            {
                Token peek = PeekNonSpace();
                if (context == "if" && peek.Kind == TokenKind.If)
                {
                    NextNonSpace();
                    elseList = new ListNode([Control(_actionPos, "if")]);
                }
                else if (context == "with" && peek.Kind == TokenKind.With)
                {
                    NextNonSpace();
                    elseList = new ListNode([Control(_actionPos, "with")]);
                }
                else
                {
                    (elseList, Marker next) = ItemList(context, actionPos);
                    if (next != Marker.End)
                    {
                        throw Fail($"expected {{{{end}}}}; found {{{{else}}}}");
                    }
                }
            }

            int end = _actionPos;
            return context == "range"
                ? new RangeNode(actionPos, end, actionPos, pipe, list, elseList)
                : new BranchNode(actionPos, end, actionPos, context == "with", pipe, list, elseList);
        }
        finally
        {
            _vars.RemoveRange(varMark, _vars.Count - varMark);
            _depth--;
        }
    }
}
