using System.Globalization;
using System.Numerics;
using System.Text;

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
internal sealed class GoParser
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
    internal const int MaxDepth = 200;

    private GoParser(List<Token> tokens, Func<string, bool> isFunction, bool bareNames)
    {
        _tokens = tokens;
        _isFunction = isFunction;
        _bareNames = bareNames;
    }

    /// <param name="bareNames">A name that is not a function is a <see cref="BareNameNode"/> (our extension); else, as in Go, an error.</param>
    public static ListNode Parse(string text, Func<string, bool> isFunction, bool bareNames)
    {
        var parser = new GoParser(GoLexer.Lex(text), isFunction, bareNames);
        return parser.ParseRoot();
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
            case TokenKind.Block or TokenKind.Template or TokenKind.Define:
                throw Fail($"{{{{{t.Value}}}}} is not supported: a workflow template is a single template");
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
        if (++_depth > MaxDepth)
        {
            throw Fail($"{{{{{context}}}}} nested more than {MaxDepth} deep");
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

    private PipeNode Pipeline(string context, TokenKind end, int actionPos)
    {
        var decl = new List<VariableNode>();
        bool isAssign = false;
        Token first = PeekNonSpace();
        int pipePos = first.Pos;

        // Declarations: "$x :=", "$x =", "$i, $v :=" (range only).
        while (true)
        {
            Token v = PeekNonSpace();
            if (v.Kind != TokenKind.Variable)
            {
                break;
            }

            int save = _index;
            NextNonSpace();
            Token next = PeekNonSpace();
            if (next.Kind is TokenKind.Assign or TokenKind.Declare)
            {
                isAssign = next.Kind == TokenKind.Assign;
                NextNonSpace();
                var node = new VariableNode(v.Pos, v.Pos + v.Value.Length, actionPos, [v.Value]);
                if (isAssign)
                {
                    if (!_vars.Contains(v.Value))
                    {
                        throw Fail($"undefined variable \"{v.Value}\"");
                    }
                }
                else
                {
                    _vars.Add(v.Value);
                }

                decl.Add(node);
                break;
            }

            if (next.Kind == TokenKind.Char && next.Value == ",")
            {
                NextNonSpace();
                decl.Add(new VariableNode(v.Pos, v.Pos + v.Value.Length, actionPos, [v.Value]));
                _vars.Add(v.Value);
                if (context == "range" && decl.Count < 2)
                {
                    Token after = PeekNonSpace();
                    if (after.Kind is TokenKind.Variable)
                    {
                        continue;
                    }

                    throw Fail("range can only initialize variables");
                }

                throw Fail($"too many declarations in {context}");
            }

            _index = save;
            break;
        }

        var commands = new List<CommandNode>();
        while (true)
        {
            Token t = NextNonSpace();
            if (t.Kind == end)
            {
                if (commands.Count == 0)
                {
                    throw Fail(context == "command" ? "empty action: missing value for command" : $"missing value for {context}");
                }

                if (_tokens[_index - 2 >= 0 ? PreviousNonSpace(_index - 2) : 0].Kind == TokenKind.Pipe)
                {
                    throw Fail($"missing command after \"|\" in {context}");
                }

                for (int i = 1; i < commands.Count; i++)
                {
                    if (commands[i].Args[0] is BoolNode or DotNode or NilNode or NumberNode or StringNode)
                    {
                        throw Fail($"non executable command in pipeline stage {i + 1}");
                    }
                }

                return new PipeNode(pipePos, t.Pos + (end == TokenKind.RightDelim ? 2 : 1), actionPos, isAssign, decl, commands);
            }

            switch (t.Kind)
            {
                case TokenKind.Bool or TokenKind.CharConstant or TokenKind.Dot or TokenKind.Field or TokenKind.Identifier
                    or TokenKind.Number or TokenKind.Nil or TokenKind.RawString or TokenKind.String or TokenKind.Variable
                    or TokenKind.LeftParen:
                    Backup();
                    commands.Add(Command(actionPos));
                    break;
                default:
                    throw Unexpected(t, context);
            }
        }
    }

    private int PreviousNonSpace(int i)
    {
        while (i > 0 && _tokens[i].Kind == TokenKind.Space)
        {
            i--;
        }

        return i;
    }

    private CommandNode Command(int actionPos)
    {
        var args = new List<GoNode>();
        int pos = PeekNonSpace().Pos;
        int endPos = pos;
        while (true)
        {
            PeekNonSpace();
            GoNode? operand = Operand(actionPos);
            if (operand is not null)
            {
                args.Add(operand);
                endPos = operand.End;
            }

            Token t = Next();
            if (t.Kind == TokenKind.Space)
            {
                continue;
            }

            if (t.Kind is TokenKind.RightDelim or TokenKind.RightParen)
            {
                Backup();
            }
            else if (t.Kind != TokenKind.Pipe)
            {
                throw Unexpected(t, "operand");
            }

            break;
        }

        if (args.Count == 0)
        {
            throw Fail("empty command");
        }

        return new CommandNode(pos, endPos, actionPos, args);
    }

    private GoNode? Operand(int actionPos)
    {
        GoNode? node = Term(actionPos);
        if (node is null)
        {
            return null;
        }

        if (Peek().Kind == TokenKind.Field)
        {
            var fields = new List<string>();
            int end = node.End;
            while (Peek().Kind == TokenKind.Field)
            {
                Token f = Next();
                fields.Add(f.Value[1..]);
                end = f.Pos + f.Value.Length;
            }

            switch (node)
            {
                case FieldNode field:
                    return new FieldNode(field.Pos, end, actionPos, [.. field.Ident, .. fields]);
                case VariableNode variable:
                    return new VariableNode(variable.Pos, end, actionPos, [.. variable.Ident, .. fields]);
                case BoolNode or StringNode or NumberNode or NilNode or DotNode:
                    throw Fail("unexpected . after term");
                default:
                    return new ChainNode(node.Pos, end, actionPos, node, [.. fields]);
            }
        }

        return node;
    }

    private GoNode? Term(int actionPos)
    {
        Token t = NextNonSpace();
        int end = t.Pos + t.Value.Length;
        switch (t.Kind)
        {
            case TokenKind.Identifier:
                if (_isFunction(t.Value))
                {
                    return new IdentifierNode(t.Pos, end, actionPos, t.Value);
                }

                return _bareNames
                    ? new BareNameNode(t.Pos, end, actionPos, t.Value)
                    : throw new GoTemplateException(t.Pos, $"function \"{t.Value}\" not defined");
            case TokenKind.Dot:
                return new DotNode(t.Pos, end, actionPos);
            case TokenKind.Nil:
                return new NilNode(t.Pos, end, actionPos);
            case TokenKind.Variable:
                if (!_vars.Contains(t.Value))
                {
                    throw Fail($"undefined variable \"{t.Value}\"");
                }

                return new VariableNode(t.Pos, end, actionPos, [t.Value]);
            case TokenKind.Field:
                return new FieldNode(t.Pos, end, actionPos, [t.Value[1..]]);
            case TokenKind.Bool:
                return new BoolNode(t.Pos, end, actionPos, t.Value == "true");
            case TokenKind.Number or TokenKind.CharConstant:
                return Number(t, actionPos);
            case TokenKind.LeftParen:
                if (++_depth > MaxDepth)
                {
                    throw Fail($"parentheses nested more than {MaxDepth} deep");
                }

                PipeNode pipe = Pipeline("parenthesized pipeline", TokenKind.RightParen, actionPos);
                _depth--;
                return pipe with { Pos = t.Pos };
            case TokenKind.String or TokenKind.RawString:
                return new StringNode(t.Pos, end, actionPos, Unquote(t));
        }

        Backup();
        return null;
    }

    private string Unquote(Token t)
    {
        string s = t.Value;
        if (t.Kind == TokenKind.RawString)
        {
            return s[1..^1].Replace("\r", "", StringComparison.Ordinal);
        }

        if (!TryUnquote(s.AsSpan(1, s.Length - 2), '"', out string value))
        {
            throw Fail($"malformed string literal {s}: invalid syntax");
        }

        return value;
    }

    /// <summary>Go's escape sequences (<c>strconv.Unquote</c>).</summary>
    internal static bool TryUnquote(ReadOnlySpan<char> body, char quote, out string value)
    {
        var sb = new StringBuilder(body.Length);
        value = "";
        for (int i = 0; i < body.Length; i++)
        {
            char c = body[i];
            if (c == quote || c == '\n')
            {
                return false;
            }

            if (c != '\\')
            {
                sb.Append(c);
                continue;
            }

            if (++i >= body.Length)
            {
                return false;
            }

            c = body[i];
            switch (c)
            {
                case 'a': sb.Append('\a'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 't': sb.Append('\t'); break;
                case 'v': sb.Append('\v'); break;
                case '\\': sb.Append('\\'); break;
                case '\'' or '"':
                    if (c != quote)
                    {
                        return false;
                    }

                    sb.Append(c);
                    break;
                case 'x' or 'u' or 'U':
                    int n = c == 'x' ? 2 : c == 'u' ? 4 : 8;
                    if (i + n >= body.Length)
                    {
                        return false;
                    }

                    if (!int.TryParse(body.Slice(i + 1, n), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int code))
                    {
                        return false;
                    }

                    i += n;
                    if (c == 'x')
                    {
                        // A byte: bytes of UTF-8 are not reassembled here; ASCII bytes are the common case.
                        sb.Append((char)code);
                    }
                    else
                    {
                        if (!Rune.IsValid(code))
                        {
                            return false;
                        }

                        sb.Append(char.ConvertFromUtf32(code));
                    }

                    break;
                case >= '0' and <= '7':
                    if (i + 2 >= body.Length)
                    {
                        return false;
                    }

                    int oct = 0;
                    for (int k = 0; k < 3; k++)
                    {
                        char d = body[i + k];
                        if (d is < '0' or > '7')
                        {
                            return false;
                        }

                        oct = (oct * 8) + (d - '0');
                    }

                    if (oct > 255)
                    {
                        return false;
                    }

                    sb.Append((char)oct);
                    i += 2;
                    break;
                default:
                    return false;
            }
        }

        value = sb.ToString();
        return true;
    }

    private NumberNode Number(Token t, int actionPos)
    {
        string text = t.Value;
        int end = t.Pos + text.Length;
        if (t.Kind == TokenKind.CharConstant)
        {
            if (!TryUnquote(text.AsSpan(1, text.Length - 2), '\'', out string ch) || ch.EnumerateRunes().Count() != 1)
            {
                throw Fail($"malformed character constant: {text}");
            }

            long rune = ch.EnumerateRunes().First().Value;
            return new NumberNode(t.Pos, end, actionPos, text, true, rune, true, rune, true);
        }

        if (text.EndsWith('i'))
        {
            throw Fail($"complex numbers are not supported: {text}");
        }

        if (TryParseInteger(text, out BigInteger big))
        {
            if (big < long.MinValue || big > long.MaxValue)
            {
                throw Fail($"integer overflow: {text}");
            }

            var l = (long)big;
            return new NumberNode(t.Pos, end, actionPos, text, true, l, true, l, false);
        }

        string plain = text.Replace("_", "", StringComparison.Ordinal);
        bool isHex = plain.TrimStart('+', '-').StartsWith("0x", StringComparison.OrdinalIgnoreCase);
        if (!isHex && plain.IndexOfAny(['.', 'e', 'E']) >= 0
            && double.TryParse(plain, NumberStyles.Float, CultureInfo.InvariantCulture, out double f) && double.IsFinite(f))
        {
            bool isInt = Math.Floor(f) == f && Math.Abs(f) < 9.2e18;
            return new NumberNode(t.Pos, end, actionPos, text, isInt, isInt ? (long)f : 0, true, f, false);
        }

        throw Fail($"illegal number syntax: \"{text}\"");
    }

    private static bool TryParseInteger(string text, out BigInteger value)
    {
        value = BigInteger.Zero;
        string s = text;
        bool negative = false;
        if (s.StartsWith('+') || s.StartsWith('-'))
        {
            negative = s[0] == '-';
            s = s[1..];
        }

        int radix = 10;
        bool prefixed = false;
        if (s.Length > 1 && s[0] == '0')
        {
            switch (char.ToLowerInvariant(s[1]))
            {
                case 'x': radix = 16; s = s[2..]; prefixed = true; break;
                case 'o': radix = 8; s = s[2..]; prefixed = true; break;
                case 'b': radix = 2; s = s[2..]; prefixed = true; break;
                default: radix = 8; s = s[1..]; break;
            }
        }

        if (s.Length == 0 || s.EndsWith('_') || s.Contains("__", StringComparison.Ordinal) || (!prefixed && s.StartsWith('_') && radix == 10))
        {
            return false;
        }

        s = s.TrimStart('_');
        if (s.Length == 0)
        {
            return false;
        }

        foreach (char c in s)
        {
            if (c == '_')
            {
                continue;
            }

            int d = char.IsAsciiDigit(c) ? c - '0' : char.IsAsciiLetter(c) ? char.ToLowerInvariant(c) - 'a' + 10 : 99;
            if (d >= radix)
            {
                return false;
            }

            value = (value * radix) + d;
        }

        if (negative)
        {
            value = -value;
        }

        return true;
    }
}
