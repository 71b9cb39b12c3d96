using System.Globalization;
using System.Text;

namespace DurableWorkflows.Testing;

/// <summary>
/// Deterministic pseudo-random mutations of template text, as a careless editor, a broken pipe or a hostile client
/// would make them: character and byte flips, deletions, duplicated, swapped and re-indented lines, truncation, random
/// Unicode, huge values, values of the wrong type, alias chains and broken template actions.
/// </summary>
public static class TemplateMutator
{
    private static readonly char[] Interesting =
        [':', '-', ' ', '\t', '\n', '\r', '[', ']', '{', '}', '"', '\'', '&', '*', '!', '|', '>', '%', '@', '`', '#', ',', '?',
         '.', '<', '=', '~', '\\', '\0', '\u0085', '\u2028', '\uFEFF', '\uFFFD', '\uD800', 'é', '0', '9', 'x'];

    private static readonly string[] Actions =
        ["{{", "}}", "{{.device_1}}", "{{ .nope }}", "{{workflowid}}", "{{- .worker -}}", "{{\"x\"}}", "{{/* c */}}",
         "{{ if .device_1 }}", "{{ end }}", "{{ range $i, $e := .device_1 }}", "{{ else }}", "{{ printf \"%d\" 3 }}",
         "{{ formatPartition .device_1 1 }}", "{{ index . \"device_1\" }}", "{{ len .device_1 }}", "{{ $x := 1 }}{{ $x }}",
         "{{ template \"t\" }}", "{{ define \"t\" }}x{{ end }}", "{{ (((( }}", "{{ .device_1 | upper | quote }}"];

    private static readonly string[] WrongTypes =
        ["[1, 2]", "{a: b}", "true", "null", "~", "-1", "0", "1e309", "99999999999999999999999", "\"\"", "[]", "{}", "''",
         "!!binary aGVsbG8=", "!custom x", "&anchor x", "*nowhere", "- a\n- b", "|\n  block\n  text", ">-", "? complex : key",
         "\"\\u0000\"", "0x1F", ".inf", "-.nan", "2001-12-14t21:59:43.10-05:00"];

    /// <summary>One mutation of <paramref name="text"/>. Huge values are at most <paramref name="maxHugeLength"/> characters.</summary>
    public static string Mutate(string text, Random random, int maxHugeLength = 100_000)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(random);
        if (text.Length == 0)
        {
            return Interesting[random.Next(Interesting.Length)].ToString();
        }

        string[] lines = text.Split('\n');
        int line = random.Next(lines.Length);
        int at = random.Next(text.Length);
        switch (random.Next(15))
        {
            case 0: // flip one character to a YAML-significant (or hostile) one
                return string.Concat(text.AsSpan(0, at), Interesting[random.Next(Interesting.Length)].ToString(), text.AsSpan(at + 1));
            case 1: // delete a range
                return text.Remove(at, Math.Min(text.Length - at, 1 + random.Next(12)));
            case 2: // duplicate a line
                return string.Join('\n', lines.Take(line + 1).Append(lines[line]).Concat(lines.Skip(line + 1)));
            case 3: // indent a line more
                lines[line] = new string(' ', 1 + random.Next(4)) + lines[line];
                return string.Join('\n', lines);
            case 4: // indent a line less
                string trimmed = lines[line].TrimStart();
                lines[line] = trimmed.PadLeft(trimmed.Length + random.Next(lines[line].Length - trimmed.Length + 1));
                return string.Join('\n', lines);
            case 5: // delete a line
                return string.Join('\n', lines.Where((_, i) => i != line));
            case 6: // swap two lines
                int other = random.Next(lines.Length);
                (lines[line], lines[other]) = (lines[other], lines[line]);
                return string.Join('\n', lines);
            case 7: // insert a template action, sometimes broken
                return text.Insert(at, Actions[random.Next(Actions.Length)]);
            case 8: // flip a raw byte of the UTF-8 encoding, decoding whatever results
                byte[] bytes = Encoding.UTF8.GetBytes(text);
                bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                return Encoding.UTF8.GetString(bytes);
            case 9: // truncate, as a broken upload would
                return text[..at];
            case 10: // a run of random Unicode: any plane, unpaired surrogates, controls, combining marks, RTL, emoji
                return text.Insert(at, RandomUnicode(random, 1 + random.Next(16)));
            case 11: // a huge value
                return ReplaceValue(lines, line, HugeValue(random, maxHugeLength), text);
            case 12: // a value of the wrong type
                return ReplaceValue(lines, line, WrongTypes[random.Next(WrongTypes.Length)], text);
            case 13: // a chain of aliases that grows exponentially if expanded (a "billion laughs"), used as a value
                (string anchors, string last) = AliasChain(random);
                return anchors + ReplaceValue(lines, line, last, text);
            default: // a tab where YAML wants spaces
                int indent = lines[line].Length - lines[line].TrimStart(' ').Length;
                lines[line] = "\t" + lines[line][Math.Min(indent, random.Next(indent + 1))..];
                return string.Join('\n', lines);
        }
    }

    /// <summary>The value of the line's <c>key: value</c> (or list item) replaced; the text unchanged when the line has neither.</summary>
    private static string ReplaceValue(string[] lines, int line, string value, string text)
    {
        string current = lines[line];
        int colon = current.IndexOf(": ", StringComparison.Ordinal);
        int dash = current.IndexOf("- ", StringComparison.Ordinal);
        int cut = colon >= 0 ? colon + 2 : current.TrimEnd().EndsWith(':') ? current.TrimEnd().Length : dash >= 0 && current[..dash].Trim().Length == 0 ? dash + 2 : -1;
        if (cut < 0)
        {
            return text;
        }

        string indent = new(' ', current.Length - current.TrimStart().Length + 2);
        string prefix = current[..cut];
        lines[line] = prefix + (prefix.EndsWith(' ') ? "" : " ") + value.Replace("\n", "\n" + indent, StringComparison.Ordinal);
        return string.Join('\n', lines);
    }

    private static string HugeValue(Random random, int maxLength)
    {
        int length = 1 + random.Next(Math.Max(1, maxLength));
        return random.Next(5) switch
        {
            0 => new string('x', length),
            1 => new string('9', Math.Min(length, 5_000)),
            2 => string.Concat(Enumerable.Repeat("[", Math.Min(length, 2_000))) + string.Concat(Enumerable.Repeat("]", Math.Min(length, 2_000))),
            3 => "\"" + string.Concat(Enumerable.Repeat("\\u00e9", Math.Max(1, length / 6))) + "\"",
            _ => "[" + string.Join(", ", Enumerable.Range(0, Math.Max(1, length / 8)).Select(i => i.ToString(CultureInfo.InvariantCulture))) + "]",
        };
    }

    private static string RandomUnicode(Random random, int count)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < count; i++)
        {
            switch (random.Next(6))
            {
                case 0: sb.Append((char)random.Next(0, 0x20)); break; // C0 controls
                case 1: sb.Append((char)random.Next(0xD800, 0xE000)); break; // an unpaired surrogate
                case 2: sb.Append(char.ConvertFromUtf32(random.Next(0x1F300, 0x1FAFF))); break; // emoji
                case 3: sb.Append("\u202E\u200B\u0301\u00A0\uFFFE\uFFFF"[random.Next(6)]); break; // RTL override, zero width, combining, nbsp, non-characters
                case 4: sb.Append(char.ConvertFromUtf32(random.Next(0x10000, 0x10FFFF) is var cp && cp is >= 0xD800 and < 0xE000 ? 0x10000 : cp)); break;
                default: sb.Append((char)random.Next(0x80, 0xD800)); break;
            }
        }

        return sb.ToString();
    }

    private static (string Anchors, string Last) AliasChain(Random random)
    {
        var sb = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        int depth = 2 + random.Next(12);
        for (int i = 1; i < depth; i++)
        {
            string previous = "*a" + (i - 1).ToString(CultureInfo.InvariantCulture);
            sb.Append(CultureInfo.InvariantCulture, $"a{i}: &a{i} [{string.Join(", ", Enumerable.Repeat(previous, 10))}]\n");
        }

        return (sb.ToString(), "*a" + (depth - 1).ToString(CultureInfo.InvariantCulture));
    }
}
