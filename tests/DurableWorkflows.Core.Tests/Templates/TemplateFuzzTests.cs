using DurableWorkflows.Core.Templates;
using DurableWorkflows.Testing;

namespace DurableWorkflows.Core.Tests.Templates;

/// <summary>Thousands of deterministic pseudo-random mutations of valid templates: nothing may throw, and every
/// result is a definition or at least one error at a position inside the text.</summary>
public class TemplateFuzzTests
{
    private const int Mutations = 10_000;

    private static readonly string[] Seeds =
        [TemplateFixtures.HelloWorld, TemplateFixtures.Debian, TemplateFixtures.Seed, TemplateFixtures.Full];

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
                    text = TemplateMutator.Mutate(text, random);
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
}
