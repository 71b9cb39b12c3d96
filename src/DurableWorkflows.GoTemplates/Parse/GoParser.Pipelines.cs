namespace DurableWorkflows.GoTemplates.Parse;

/// <summary>Pipelines, commands, operands and terms (parse.go: pipeline, command, operand, term).</summary>
internal sealed partial class GoParser
{
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
                if (++_depth > _maxDepth)
                {
                    throw Fail($"parentheses nested more than {_maxDepth} deep");
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
}
