using System.Globalization;
using System.Text;

namespace DurableWorkflows.GoTemplates.Sprig;

/// <summary>
/// xstrings' <c>ToSnakeCase</c> and <c>ToKebabCase</c> (sprig's <c>snakecase</c>, <c>kebabcase</c>): words split at case
/// changes, numbers and connectors, lower-cased, joined by the connector; <c>HTTPServer</c> is <c>http_server</c>,
/// <c>Bld4Floor3rd</c> is <c>bld4_floor_3rd</c>.
/// </summary>
internal static class SnakeCase
{
    private enum Word
    {
        Invalid,
        Number,
        UpperCase,
        Alphabet,
        Connector,
        Punct,
        Other,
    }

    public static string Convert(string s, char connector)
    {
        Rune[] r = [.. s.EnumerateRunes()];
        if (r.Length == 0)
        {
            return "";
        }

        var sb = new StringBuilder(s.Length + 4);
        int pos = 0;
        (Word wt, string word) = Next(r, ref pos);
        while (pos < r.Length)
        {
            if (wt != Word.Connector)
            {
                Lower(sb, wt, word, connector);
            }

            Word prev = wt;
            string last = word;
            (wt, word) = Next(r, ref pos);
            switch (prev)
            {
                case Word.Number:
                    (wt, word) = Letters(sb, r, ref pos, wt, word, connector);
                    break;
                case Word.Connector:
                    Lower(sb, prev, last, connector);
                    break;
                case Word.Punct:
                    break;
                default:
                    if (wt != Word.Number)
                    {
                        if (wt is not (Word.Connector or Word.Punct))
                        {
                            sb.Append(connector);
                        }

                        break;
                    }

                    if (pos >= r.Length)
                    {
                        break;
                    }

                    string number = word;
                    (wt, word) = Next(r, ref pos);
                    if (wt != Word.Alphabet)
                    {
                        Lower(sb, Word.Number, number, connector);
                        if (wt is not (Word.Connector or Word.Punct))
                        {
                            sb.Append(connector);
                        }

                        break;
                    }

                    sb.Append(connector);
                    Lower(sb, Word.Number, number, connector);
                    (wt, word) = Letters(sb, r, ref pos, wt, word, connector);
                    break;
            }
        }

        Lower(sb, wt, word, connector);
        return sb.ToString();
    }

    /// <summary>Letters and numbers after a number stay one word; a connector follows unless the next word is one already.</summary>
    private static (Word Kind, string Text) Letters(StringBuilder sb, Rune[] r, ref int pos, Word wt, string word, char connector)
    {
        while (wt is Word.Alphabet or Word.Number)
        {
            Lower(sb, wt, word, connector);
            (wt, word) = Next(r, ref pos);
        }

        if (wt is not (Word.Invalid or Word.Punct or Word.Connector))
        {
            sb.Append(connector);
        }

        return (wt, word);
    }

    private static bool IsConnector(Rune r) => r.Value is '-' or '_' || Rune.IsWhiteSpace(r);

    private static bool IsAlphabet(Rune r) => Rune.IsLetter(r) && r.Value < 0x3400;

    private static bool IsPunct(Rune r) => Rune.GetUnicodeCategory(r) is UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation
        or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
        or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation;

    private static bool IsNumber(Rune r) => Rune.GetUnicodeCategory(r) is UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber;

    /// <summary>xstrings' <c>nextWord</c>: the word at <paramref name="pos"/> and its kind; <paramref name="pos"/> moves past it.</summary>
    private static (Word Kind, string Text) Next(Rune[] r, ref int pos)
    {
        if (pos >= r.Length)
        {
            return (Word.Invalid, "");
        }

        int start = pos;
        Rune first = r[pos++];
        Word kind;
        if (IsConnector(first))
        {
            kind = Word.Connector;
            while (pos < r.Length && IsConnector(r[pos]))
            {
                pos++;
            }
        }
        else if (IsPunct(first))
        {
            kind = Word.Punct;
            while (pos < r.Length && IsPunct(r[pos]))
            {
                pos++;
            }
        }
        else if (Rune.IsUpper(first))
        {
            kind = Word.UpperCase;
            if (pos < r.Length && Rune.IsUpper(r[pos]))
            {
                while (pos < r.Length && Rune.IsUpper(r[pos]))
                {
                    pos++;
                }

                // "HTTPStatus": the "S" starts the next word.
                if (pos < r.Length && IsAlphabet(r[pos]))
                {
                    pos--;
                }
            }
            else if (pos < r.Length && IsAlphabet(r[pos]))
            {
                while (pos < r.Length && IsAlphabet(r[pos]) && !Rune.IsUpper(r[pos]))
                {
                    pos++;
                }
            }
        }
        else if (IsAlphabet(first))
        {
            kind = Word.Alphabet;
            while (pos < r.Length && IsAlphabet(r[pos]) && !Rune.IsUpper(r[pos]))
            {
                pos++;
            }
        }
        else if (IsNumber(first))
        {
            kind = Word.Number;
            while (pos < r.Length && IsNumber(r[pos]))
            {
                pos++;
            }
        }
        else
        {
            kind = Word.Other;
            while (pos < r.Length && !(IsConnector(r[pos]) || IsAlphabet(r[pos]) || IsNumber(r[pos]) || IsPunct(r[pos])))
            {
                pos++;
            }
        }

        return (kind, string.Concat(r[start..pos].Select(x => x.ToString())));
    }

    private static void Lower(StringBuilder sb, Word kind, string word, char connector)
    {
        if (kind is not (Word.UpperCase or Word.Connector))
        {
            sb.Append(word);
            return;
        }

        foreach (Rune x in word.EnumerateRunes())
        {
            sb.Append(IsConnector(x) ? connector.ToString() : Rune.IsUpper(x) ? Rune.ToLowerInvariant(x).ToString() : x.ToString());
        }
    }
}
