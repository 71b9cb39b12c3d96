using System.Text;
using DurableWorkflows.Core.Templates;

namespace DurableWorkflows.Core.Tests.Templates;

/// <summary>Thousands of deterministic pseudo-random mutations of valid templates: nothing may throw, and every
/// result is a definition or at least one error at a position inside the text.</summary>
public class TemplateFuzzTests
{
    private const int Mutations = 5_000;

    private static readonly string[] Seeds =
        [TemplateFixtures.HelloWorld, TemplateFixtures.Debian, TemplateFixtures.Seed, TemplateFixtures.Full];

    private static readonly char[] Interesting =
        [':', '-', ' ', '\t', '\n', '\r', '[', ']', '{', '}', '"', '\'', '&', '*', '!', '|', '>', '%', '@', '`', '#', ',', '?',
         '.', '<', '=', '~', '\\', '\0', '\u0085', '\u2028', '\uFEFF', '\uFFFD', '\uD800', 'é', '0', '9', 'x'];

    private static readonly TemplateData Data = new(
        new Dictionary<string, string> { ["device_1"] = "d1", ["provisioner1"] = "p1", ["worker"] = "w1" },
        "fuzz");

    [Fact(Timeout = 120_000)]
    public async Task Load_MutatedTemplates_NeverThrowAndAlwaysExplain()
    {
        await Task.Run(() =>
        {
            var random = new Random(20_240_601);
            int valid = 0, invalid = 0;
            for (int i = 0; i < Mutations; i++)
            {
                string text = Seeds[i % Seeds.Length];
                int rounds = 1 + random.Next(3);
                for (int r = 0; r < rounds; r++)
                {
                    text = Mutate(text, random);
                }

                TemplateLoadResult result;
                try
                {
                    result = WorkflowTemplate.Load(text, Data);
                }
                catch (Exception e)
                {
                    Assert.Fail($"mutation {i} threw {e.GetType().Name}: {e.Message}\n--- input ---\n{text}");
                    return;
                }

                if (result.Definition is not null)
                {
                    Assert.Empty(result.Errors);
                    valid++;
                    continue;
                }

                invalid++;
                Assert.True(result.Errors.Count > 0, $"mutation {i}: no definition and no error\n--- input ---\n{text}");
                int lines = SourceMap.LineStarts(text).Length;
                foreach (var error in result.Errors)
                {
                    Assert.False(string.IsNullOrWhiteSpace(error.Message));
                    Assert.InRange(error.Location.Line, 1, lines);
                    Assert.InRange(error.Location.Column, 1, text.Length + 1);
                }
            }

            // The mutations must exercise both outcomes, or the test proves little.
            Assert.InRange(valid, 1, Mutations - 1);
            Assert.InRange(invalid, Mutations / 2, Mutations);
        });
    }

    private static string Mutate(string text, Random random)
    {
        if (text.Length == 0)
        {
            return Interesting[random.Next(Interesting.Length)].ToString();
        }

        string[] lines = text.Split('\n');
        int line = random.Next(lines.Length);
        int at = random.Next(text.Length);
        switch (random.Next(9))
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
                lines[line] = lines[line].TrimStart().PadLeft(lines[line].TrimStart().Length + random.Next(lines[line].Length - lines[line].TrimStart().Length + 1));
                return string.Join('\n', lines);
            case 5: // delete a line
                return string.Join('\n', lines.Where((_, i) => i != line));
            case 6: // swap two lines
                int other = random.Next(lines.Length);
                (lines[line], lines[other]) = (lines[other], lines[line]);
                return string.Join('\n', lines);
            case 7: // insert a template action, sometimes broken
                string[] actions = ["{{", "}}", "{{.device_1}}", "{{ .nope }}", "{{workflowid}}", "{{- .worker -}}", "{{\"x\"}}", "{{/* c */}}"];
                return text.Insert(at, actions[random.Next(actions.Length)]);
            default: // flip a raw byte of the UTF-8 encoding, decoding whatever results
                byte[] bytes = Encoding.UTF8.GetBytes(text);
                bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                return Encoding.UTF8.GetString(bytes);
        }
    }
}
