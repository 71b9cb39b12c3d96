using System.Text;
using DurableWorkflows.Core.Templates;
using DurableWorkflows.GoTemplates;

namespace DurableWorkflows.Core.Tests;

/// <summary>Mutated templates never crash the renderer: each gives text, or errors at positions inside the template.</summary>
public class GoTemplateFuzzTests
{
    private const string Alphabet = "{}{}()|.$\"`'-/* \n\t:=,abcHDx019_\\";

    private static readonly string[] Seeds =
    [
        """
        version: "0.1"
        name: {{ .name | default "x" | quote }}
        tasks:
          - name: "os"
            worker: "{{ (index .Hardware.Interfaces 0).DHCP.MAC }}"
            actions:
              - name: "disk"
                image: img
                environment:
                  DEST_DISK: {{ formatPartition ( index .Hardware.Disks 0 ) 1 }}
                  {{- if (index .Hardware.Interfaces 0).Netboot.AllowPXE }}
                  PXE: "yes"
                  {{- else if eq .name "b" }}
                  PXE: no
                  {{- end }}
                  NS: {{ join "," (index .Hardware.Interfaces 0).DHCP.NameServers }}
        """,
        """
        {{/* comment */}}{{- range $i, $v := .list -}}
        {{ $i }}={{ printf "%02d-%s-%q" $i $v (upper $v) }}{{ if eq $i 1 }}{{ break }}{{ end }}
        {{- else }}none{{ end }}
        {{ with $x := .nested.inner }}{{ $x.leaf }}{{ else with .name }}{{ . }}{{ end }}
        {{ $y := 3 }}{{ $y = len .list }}{{ $y }} {{ slice .list 1 2 }} {{ index .map "a" }}
        {{ toJson .map }} {{ split "," "a,b" }} {{ b64enc "x" | b64dec }} {{ 'a' }} {{ 1.5e3 }} {{ `raw` }}
        {{ and .yes (or .no 1) (not .empty) }} {{ lt 1 2 }} {{ range 3 }}{{ . }}{{ continue }}{{ end }}
        """,
    ];

    [Fact(Timeout = 120_000)]
    public async Task Render_MutatedTemplates_NeverThrowAndAlwaysAnswer()
    {
        await Task.Run(() =>
        {
            var random = new Random(20261127);
            var data = GoTemplateTestData.Data();
            data["Hardware"] = GoTemplateTestData.ExampleHardware().ToTemplateData();
            int withText = 0, withErrors = 0;
            for (int i = 0; i < 6000; i++)
            {
                string template = Mutate(Seeds[i % Seeds.Length], random, 1 + random.Next(6));
                GoTemplate.Output result = TemplateRenderer.Language.Render(template, data);
                if (result.Text is not null)
                {
                    Assert.Empty(result.Errors);
                    withText++;
                }
                else
                {
                    Assert.NotEmpty(result.Errors);
                    int lines = template.Split('\n').Length;
                    foreach (TemplateError e in result.Errors)
                    {
                        Assert.InRange(e.Location.Line, 1, lines);
                        Assert.True(e.Location.Column >= 1, $"column {e.Location.Column} in {template}");
                        Assert.False(string.IsNullOrWhiteSpace(e.Message));
                    }

                    withErrors++;
                }
            }

            // The mutations exercise both outcomes, so neither path is vacuous.
            Assert.True(withText > 300, $"only {withText} mutated templates rendered");
            Assert.True(withErrors > 300, $"only {withErrors} mutated templates failed");
        });
    }

    [Fact(Timeout = 120_000)]
    public async Task Render_RandomActionSoup_NeverThrows()
    {
        await Task.Run(() =>
        {
            var random = new Random(7);
            var data = new TemplateData(new Dictionary<string, string> { ["a"] = "1" }, "wf") { Hardware = GoTemplateTestData.ExampleHardware() };
            for (int i = 0; i < 3000; i++)
            {
                var sb = new StringBuilder("{{");
                int length = random.Next(40);
                for (int k = 0; k < length; k++)
                {
                    sb.Append(random.Next(4) == 0
                        ? Words[random.Next(Words.Length)]
                        : Alphabet[random.Next(Alphabet.Length)].ToString());
                }

                RenderResult result = TemplateRenderer.Render(sb.Append("}}").ToString(), data);
                Assert.True(result.Succeeded || result.Errors.Count > 0);
            }
        });
    }

    private static readonly string[] Words =
    [
        " if ", " else ", " end ", " range ", " with ", " index ", " len ", " printf ", " .Hardware", ".Disks", " $x := ",
        " $ ", " nil ", " true ", " \"s\" ", " 1 ", " | ", " ( ", " ) ", " .a ", " a ", " formatPartition ", " default ",
        " eq ", " and ", " or ", " not ", " slice ", " toJson ", " split ", " break ", " continue ", "{{", "}}", " -}}", "{{- ",
    ];

    [Theory]
    [InlineData("(", ")")]
    [InlineData("if true}}", "{{end")]
    [InlineData("range .list}}", "{{end")]
    public void Render_DeepNesting_IsAnErrorNotACrash(string open, string close)
    {
        string template = "{{" + string.Concat(Enumerable.Repeat(open + (open == "(" ? "" : "{{"), 5000)) + "1" + string.Concat(Enumerable.Repeat(close + "}}", 5000));

        GoTemplate.Output result = TemplateRenderer.Language.Render(template, GoTemplateTestData.Data());

        Assert.Null(result.Text);
        Assert.Contains("nested more than", result.Errors[0].Message, StringComparison.Ordinal);
    }

    private static string Mutate(string seed, Random random, int edits)
    {
        var sb = new StringBuilder(seed);
        for (int e = 0; e < edits; e++)
        {
            int at = random.Next(sb.Length + 1);
            switch (random.Next(5))
            {
                case 0 when sb.Length > 0 && at < sb.Length:
                    sb.Remove(at, Math.Min(1 + random.Next(4), sb.Length - at));
                    break;
                case 1:
                    sb.Insert(at, Alphabet[random.Next(Alphabet.Length)]);
                    break;
                case 2 when sb.Length > 0 && at < sb.Length:
                    int len = Math.Min(1 + random.Next(20), sb.Length - at);
                    sb.Insert(random.Next(sb.Length + 1), sb.ToString(at, len));
                    break;
                case 3 when sb.Length > 0 && at < sb.Length:
                    sb[at] = Alphabet[random.Next(Alphabet.Length)];
                    break;
                default:
                    sb.Insert(at, Words[random.Next(Words.Length)]);
                    break;
            }
        }

        return sb.ToString();
    }
}
