// Renders a 2,000-line template with 5,000 actions (fields, index, formatPartition, printf, pipelines, if/end)
// against a Hardware record and prints the time per render. Target: under 50 ms.
// Run: dotnet run -c Release --project bench/render
using System.Diagnostics;
using System.Globalization;
using System.Text;
using DurableWorkflows.Core.Hardware;
using DurableWorkflows.Core.Templates;

const int Lines = 2000;
var sb = new StringBuilder();
for (int i = 0; i < Lines; i += 2)
{
    // 3 actions: a field, an if and its end.
    sb.Append(CultureInfo.InvariantCulture, $"  - name: \"a{i}-{{{{ .device_1 }}}}\"{{{{ if (index .Hardware.Interfaces 0).DHCP.UEFI }}}} # uefi{{{{ end }}}}\n");

    // 2 actions: formatPartition over index, printf piped to upper.
    sb.Append(CultureInfo.InvariantCulture, $"    environment: {{DISK: \"{{{{ formatPartition (index .Hardware.Disks 0) 1 }}}}\", ID: \"{{{{ printf \"%s-%04d\" workflowid {i} | upper }}}}\"}}\n");
}

string template = sb.ToString();
int actions = CountOccurrences(template, "{{");
HardwareParseResult hardware = HardwareRecord.Parse("""
    spec:
      disks: [{device: /dev/nvme0n1}]
      interfaces: [{dhcp: {mac: "3c:ec:ef:4c:4f:54", uefi: true}}]
    """);
var data = new TemplateData(new Dictionary<string, string> { ["device_1"] = "3c:ec:ef:4c:4f:54" }, "wf-bench") { Hardware = hardware.Record };

RenderResult first = TemplateRenderer.Render(template, data);
if (!first.Succeeded)
{
    Console.Error.WriteLine(string.Join(Environment.NewLine, first.Errors));
    return 1;
}

// Warm up past tiered compilation, then time single renders (wall clock) and the process CPU time per render.
for (int i = 0; i < 100; i++)
{
    TemplateRenderer.Render(template, data);
}

const int Runs = 200;
var times = new double[Runs];
using var process = Process.GetCurrentProcess();
TimeSpan cpuBefore = process.TotalProcessorTime;
for (int i = 0; i < Runs; i++)
{
    long start = Stopwatch.GetTimestamp();
    TemplateRenderer.Render(template, data);
    times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
}

process.Refresh();
double cpuPerRender = (process.TotalProcessorTime - cpuBefore).TotalMilliseconds / Runs;

Array.Sort(times);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"template: {CountOccurrences(template, "\n")} lines, {actions} actions, {template.Length} chars -> {first.Text!.Length} chars"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"render: min {times[0]:F2} ms, median {times[Runs / 2]:F2} ms, max {times[^1]:F2} ms over {Runs} runs; process CPU {cpuPerRender:F2} ms per render (target < 50 ms)"));
return times[0] < 50 ? 0 : 1;

static int CountOccurrences(string text, string what)
{
    int count = 0;
    for (int i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + what.Length, StringComparison.Ordinal))
    {
        count++;
    }

    return count;
}
