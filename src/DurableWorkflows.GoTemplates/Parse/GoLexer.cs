namespace DurableWorkflows.GoTemplates.Parse;

internal enum TokenKind
{
    Error,
    Eof,
    Text,
    LeftDelim,
    RightDelim,
    Space,
    Field,
    Dot,
    Variable,
    Identifier,
    Bool,
    Nil,
    Number,
    CharConstant,
    String,
    RawString,
    LeftParen,
    RightParen,
    Pipe,
    Declare,
    Assign,
    Char,
    // keywords
    If,
    Else,
    End,
    Range,
    With,
    Break,
    Continue,
    Define,
    Template,
    Block,
}

/// <param name="Pos">Offset of the token in the template.</param>
/// <param name="Value">The token's text (for Text: the text after trimming; for Error: the message).</param>
internal readonly record struct Token(TokenKind Kind, int Pos, string Value);

/// <summary>
/// Go's <c>text/template</c> lexer: text, <c>{{</c> actions <c>}}</c>, comments, trim markers (<c>{{- </c> and
/// <c> -}}</c> remove the whitespace, newlines included, next to the action).
/// </summary>
internal sealed partial class GoLexer
{
    private const string LeftDelimText = "{{";
    private const string RightDelimText = "}}";

    private readonly string _input;
    private readonly List<Token> _tokens = [];
    private int _pos;
    private int _parenDepth;
    private bool _insideAction;

    private GoLexer(string input)
    {
        _input = input;
    }

    public static List<Token> Lex(string input)
    {
        var lexer = new GoLexer(input);
        lexer.Run();
        return lexer._tokens;
    }

    private void Run()
    {
        while (true)
        {
            bool ok = _insideAction ? LexInsideAction() : LexText();
            if (!ok)
            {
                return;
            }
        }
    }

    private void Emit(TokenKind kind, int start, string value) => _tokens.Add(new Token(kind, start, value));

    private bool Error(int pos, string message)
    {
        _tokens.Add(new Token(TokenKind.Error, pos, message));
        return false;
    }

    private static bool IsSpace(char c) => c is ' ' or '\t' or '\r' or '\n';

    private static bool IsAlphaNumeric(char c) => c == '_' || char.IsLetterOrDigit(c);

    /// <summary>Text up to the next action; emits LeftDelim and switches to the action.</summary>
    private bool LexText()
    {
        int start = _pos;
        int x = _input.IndexOf(LeftDelimText, _pos, StringComparison.Ordinal);
        if (x < 0)
        {
            if (_input.Length > start)
            {
                Emit(TokenKind.Text, start, _input[start..]);
            }

            Emit(TokenKind.Eof, _input.Length, "");
            return false;
        }

        int textEnd = x;
        bool trimLeft = HasLeftTrimMarker(x + LeftDelimText.Length);
        if (trimLeft)
        {
            while (textEnd > start && IsSpace(_input[textEnd - 1]))
            {
                textEnd--;
            }
        }

        if (textEnd > start)
        {
            Emit(TokenKind.Text, start, _input[start..textEnd]);
        }

        _pos = x;
        return LexLeftDelim(trimLeft);
    }

    private bool HasLeftTrimMarker(int at) => at + 1 < _input.Length && _input[at] == '-' && IsSpace(_input[at + 1]);

    private bool LexLeftDelim(bool trimLeft)
    {
        int delimPos = _pos;
        _pos += LeftDelimText.Length;
        int afterMarker = trimLeft ? 2 : 0;
        if (string.CompareOrdinal(_input, _pos + afterMarker, "/*", 0, 2) == 0)
        {
            _pos += afterMarker;
            return LexComment(delimPos);
        }

        Emit(TokenKind.LeftDelim, delimPos, LeftDelimText);
        _pos += afterMarker;
        _parenDepth = 0;
        _insideAction = true;
        return true;
    }

    private bool LexComment(int delimPos)
    {
        int end = _input.IndexOf("*/", _pos + 2, StringComparison.Ordinal);
        if (end < 0)
        {
            return Error(delimPos, "unclosed comment");
        }

        _pos = end + 2;
        (bool delim, bool trim) = AtRightDelim();
        if (!delim)
        {
            return Error(delimPos, "comment ends before closing delimiter");
        }

        _pos += (trim ? 2 : 0) + RightDelimText.Length;
        if (trim)
        {
            SkipSpace();
        }

        return true;
    }

    private (bool Delim, bool Trim) AtRightDelim()
    {
        if (_pos + 3 < _input.Length && IsSpace(_input[_pos]) && _input[_pos + 1] == '-'
            && string.CompareOrdinal(_input, _pos + 2, RightDelimText, 0, 2) == 0)
        {
            return (true, true);
        }

        return (string.CompareOrdinal(_input, _pos, RightDelimText, 0, 2) == 0, false);
    }

    private void SkipSpace()
    {
        while (_pos < _input.Length && IsSpace(_input[_pos]))
        {
            _pos++;
        }
    }

    private bool LexRightDelim(bool trim)
    {
        if (_parenDepth != 0)
        {
            return Error(_pos, "unclosed left paren");
        }

        if (trim)
        {
            _pos += 2;
        }

        Emit(TokenKind.RightDelim, _pos, RightDelimText);
        _pos += RightDelimText.Length;
        if (trim)
        {
            SkipSpace();
        }

        _insideAction = false;
        return true;
    }

    private bool LexInsideAction()
    {
        (bool delim, bool trim) = AtRightDelim();
        if (delim)
        {
            return LexRightDelim(trim);
        }

        if (_pos >= _input.Length)
        {
            return Error(_pos, "unclosed action");
        }

        char c = _input[_pos];
        int start = _pos;
        if (IsSpace(c))
        {
            while (_pos < _input.Length && IsSpace(_input[_pos]))
            {
                if (_pos + 2 < _input.Length && _input[_pos + 1] == '-' && string.CompareOrdinal(_input, _pos + 2, RightDelimText, 0, 2) == 0)
                {
                    break;
                }

                _pos++;
            }

            if (_pos > start)
            {
                Emit(TokenKind.Space, start, " ");
            }

            return true;
        }

        switch (c)
        {
            case '=':
                _pos++;
                Emit(TokenKind.Assign, start, "=");
                return true;
            case ':':
                if (_pos + 1 < _input.Length && _input[_pos + 1] == '=')
                {
                    _pos += 2;
                    Emit(TokenKind.Declare, start, ":=");
                    return true;
                }

                return Error(start, "expected :=");
            case '|':
                _pos++;
                Emit(TokenKind.Pipe, start, "|");
                return true;
            case '"':
                return LexQuote();
            case '`':
                return LexRawQuote();
            case '\'':
                return LexChar();
            case '$':
                return LexFieldOrVariable(TokenKind.Variable);
            case '.':
                if (_pos + 1 < _input.Length && char.IsAsciiDigit(_input[_pos + 1]))
                {
                    return LexNumber();
                }

                return LexFieldOrVariable(TokenKind.Field);
            case '(':
                _pos++;
                _parenDepth++;
                Emit(TokenKind.LeftParen, start, "(");
                return true;
            case ')':
                _pos++;
                _parenDepth--;
                if (_parenDepth < 0)
                {
                    return Error(start, "unexpected right paren");
                }

                Emit(TokenKind.RightParen, start, ")");
                return true;
        }

        if (c is '+' or '-' || char.IsAsciiDigit(c))
        {
            return LexNumber();
        }

        if (IsAlphaNumeric(c))
        {
            return LexIdentifier();
        }

        if (c <= 0x7f && !char.IsControl(c))
        {
            _pos++;
            Emit(TokenKind.Char, start, c.ToString());
            return true;
        }

        return Error(start, $"unrecognized character in action: U+{(int)c:X4}");
    }

    private bool AtTerminator()
    {
        if (_pos >= _input.Length)
        {
            return true;
        }

        char c = _input[_pos];
        if (IsSpace(c) || c is '.' or ',' or '|' or ':' or ')' or '(')
        {
            return true;
        }

        return string.CompareOrdinal(_input, _pos, RightDelimText, 0, 2) == 0;
    }
}
