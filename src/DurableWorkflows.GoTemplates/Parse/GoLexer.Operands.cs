namespace DurableWorkflows.GoTemplates.Parse;

/// <summary>Identifiers, fields, variables, strings, characters and numbers inside an action (lex.go: lexIdentifier ... lexNumber).</summary>
internal sealed partial class GoLexer
{
    private bool LexIdentifier()
    {
        int start = _pos;
        while (_pos < _input.Length && IsAlphaNumeric(_input[_pos]))
        {
            _pos++;
        }

        if (!AtTerminator())
        {
            return Error(_pos, $"bad character U+{(int)_input[_pos]:X4} '{_input[_pos]}'");
        }

        string word = _input[start.._pos];
        TokenKind kind = word switch
        {
            "if" => TokenKind.If,
            "else" => TokenKind.Else,
            "end" => TokenKind.End,
            "range" => TokenKind.Range,
            "with" => TokenKind.With,
            "break" => TokenKind.Break,
            "continue" => TokenKind.Continue,
            "define" => TokenKind.Define,
            "template" => TokenKind.Template,
            "block" => TokenKind.Block,
            "true" or "false" => TokenKind.Bool,
            "nil" => TokenKind.Nil,
            _ => TokenKind.Identifier,
        };
        Emit(kind, start, word);
        return true;
    }

    private bool LexFieldOrVariable(TokenKind kind)
    {
        int start = _pos;
        _pos++;
        if (AtTerminator())
        {
            Emit(kind == TokenKind.Variable ? TokenKind.Variable : TokenKind.Dot, start, kind == TokenKind.Variable ? "$" : ".");
            return true;
        }

        while (_pos < _input.Length && IsAlphaNumeric(_input[_pos]))
        {
            _pos++;
        }

        if (!AtTerminator())
        {
            return Error(_pos, $"bad character U+{(int)_input[_pos]:X4} '{_input[_pos]}'");
        }

        Emit(kind, start, _input[start.._pos]);
        return true;
    }

    private bool LexQuote()
    {
        int start = _pos;
        _pos++;
        while (true)
        {
            if (_pos >= _input.Length || _input[_pos] == '\n')
            {
                return Error(start, "unterminated quoted string");
            }

            char c = _input[_pos++];
            if (c == '\\')
            {
                if (_pos >= _input.Length || _input[_pos] == '\n')
                {
                    return Error(start, "unterminated quoted string");
                }

                _pos++;
                continue;
            }

            if (c == '"')
            {
                break;
            }
        }

        Emit(TokenKind.String, start, _input[start.._pos]);
        return true;
    }

    private bool LexRawQuote()
    {
        int start = _pos;
        int end = _input.IndexOf('`', _pos + 1);
        if (end < 0)
        {
            return Error(start, "unterminated raw quoted string");
        }

        _pos = end + 1;
        Emit(TokenKind.RawString, start, _input[start.._pos]);
        return true;
    }

    private bool LexChar()
    {
        int start = _pos;
        _pos++;
        while (true)
        {
            if (_pos >= _input.Length || _input[_pos] == '\n')
            {
                return Error(start, "unterminated character constant");
            }

            char c = _input[_pos++];
            if (c == '\\')
            {
                if (_pos >= _input.Length || _input[_pos] == '\n')
                {
                    return Error(start, "unterminated character constant");
                }

                _pos++;
                continue;
            }

            if (c == '\'')
            {
                break;
            }
        }

        Emit(TokenKind.CharConstant, start, _input[start.._pos]);
        return true;
    }

    private bool Accept(string valid)
    {
        if (_pos < _input.Length && valid.Contains(_input[_pos], StringComparison.Ordinal))
        {
            _pos++;
            return true;
        }

        return false;
    }

    private void AcceptRun(string valid)
    {
        while (_pos < _input.Length && valid.Contains(_input[_pos], StringComparison.Ordinal))
        {
            _pos++;
        }
    }

    private bool LexNumber()
    {
        int start = _pos;
        Accept("+-");
        string digits = "0123456789_";
        if (Accept("0"))
        {
            if (Accept("xX"))
            {
                digits = "0123456789abcdefABCDEF_";
            }
            else if (Accept("oO"))
            {
                digits = "01234567_";
            }
            else if (Accept("bB"))
            {
                digits = "01_";
            }
        }

        AcceptRun(digits);
        if (Accept("."))
        {
            AcceptRun(digits);
        }

        if (digits.Length == 11 && Accept("eE"))
        {
            Accept("+-");
            AcceptRun("0123456789_");
        }

        if (digits.Length == 23 && Accept("pP"))
        {
            Accept("+-");
            AcceptRun("0123456789_");
        }

        Accept("i");
        if (_pos < _input.Length && IsAlphaNumeric(_input[_pos]))
        {
            _pos++;
            return Error(start, $"bad number syntax: \"{_input[start.._pos]}\"");
        }

        Emit(TokenKind.Number, start, _input[start.._pos]);
        return true;
    }
}
