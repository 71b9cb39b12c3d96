// Benchmark (not a test): how long validating a 5,000-action template takes, in-process and through `dwf validate`.
// Usage: dotnet run -c Release --project bench/validate [-- --actions N --dwf PATH_TO_DWF]
using System.Diagnostics;
using System.Globalization;
using System.Text;
using DurableWorkflows.Core.Templates;

int actions = 5_000;
string? dwf = null;
for (int i = 0; i < args.Length - 1; i++)
{
    if (args[i] == "--actions")
    {
        actions = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
    }
    else if (args[i] == "--dwf")
    {
        dwf = args[i + 1];
    }
}

string template = Generate(actions);
var data = new TemplateData(new Dictionary<string, string> { ["device_1"] = "08:00:27:00:00:01" }, "bench");
Console.WriteLine($"template: {actions} actions in {actions / 100} tasks, {template.Length / 1024} KiB, {template.Count(c => c == '\n')} lines");

// In-process: warm up, then the median and best of 20 runs.
for (int i = 0; i < 3; i++)
{
    Check(WorkflowTemplate.Load(template, data));
}

var times = new List<double>();
for (int i = 0; i < 20; i++)
{
    var sw = Stopwatch.StartNew();
    Check(WorkflowTemplate.Load(template, data));
    times.Add(sw.Elapsed.TotalMilliseconds);
}

times.Sort();
Console.WriteLine($"WorkflowTemplate.Load in-process: median {times[times.Count / 2]:F1} ms, best {times[0]:F1} ms");
Console.WriteLine($"  of which rendering: median {Median(() => TemplateRenderer.Render(template, data)):F1} ms");
Console.WriteLine($"  of which {actions} image checks: median {Median(() => Enumerable.Range(0, actions).Count(i => TemplateRules.CheckImageReference($"quay.io/tinkerbell-actions/image2disk:v1.0.{i % 10}") is null)):F1} ms");
Console.WriteLine($"  YamlDotNet's parser alone, events only: median {Median(() => CountEvents(template)):F1} ms");

// The CLI: a fresh process each time, as a user runs it (includes .NET start-up).
dwf ??= FindDwf();
if (dwf is null)
{
    Console.WriteLine("dwf not found (build src/DurableWorkflows.Cli or pass --dwf PATH); skipping the CLI timing");
    return 0;
}

string file = Path.Combine(Path.GetTempPath(), $"dwf-bench-{Environment.ProcessId}.yaml");
File.WriteAllText(file, template);
try
{
    var cli = new List<double>();
    for (int i = 0; i < 6; i++)
    {
        var sw = Stopwatch.StartNew();
        using var process = Process.Start(new ProcessStartInfo(dwf, ["validate", file, "--var", "device_1=08:00:27:00:00:01"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            Console.Error.WriteLine($"dwf validate exited {process.ExitCode}: {stderr}");
            return 1;
        }

        if (i > 0)
        {
            cli.Add(sw.Elapsed.TotalMilliseconds);
        }
    }

    cli.Sort();
    Console.WriteLine($"dwf validate (new process, {dwf}): median {cli[cli.Count / 2]:F0} ms, best {cli[0]:F0} ms");
}
finally
{
    File.Delete(file);
}

return 0;

static double Median(Func<object> run)
{
    var t = new List<double>();
    for (int i = 0; i < 11; i++)
    {
        var sw = Stopwatch.StartNew();
        GC.KeepAlive(run());
        t.Add(sw.Elapsed.TotalMilliseconds);
    }

    t.Sort();
    return t[t.Count / 2];
}

static object CountEvents(string text)
{
    var parser = new YamlDotNet.Core.Parser(new StringReader(text));
    int n = 0;
    while (parser.MoveNext())
    {
        n++;
    }

    return n;
}

static void Check(TemplateLoadResult result)
{
    if (!result.IsValid)
    {
        throw new InvalidOperationException("the generated template is invalid: " + string.Join("; ", result.Errors.Take(5)));
    }
}

static string Generate(int actions)
{
    var sb = new StringBuilder();
    sb.Append("version: \"0.1\"\nname: bench\nglobal_timeout: 6000\n");
    sb.Append("services:\n  - name: files\n    worker: \"{{.device_1}}\"\n    image: dwf-busybox:latest\n");
    sb.Append("    healthcheck:\n      test: [\"CMD\", \"true\"]\n      interval: 1s\n    restart: on-failure:3\n");
    sb.Append("tasks:\n");
    int perTask = 100;
    for (int a = 0; a < actions; a++)
    {
        if (a % perTask == 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $"  - name: task-{a / perTask}\n    worker: \"{{{{.device_1}}}}\"\n");
            sb.Append("    volumes:\n      - /dev:/dev\n    environment:\n      MIRROR_HOST: <MIRROR_HOST_IP>\n    actions:\n");
        }

        sb.Append(CultureInfo.InvariantCulture, $"      - name: action-{a}\n        image: quay.io/tinkerbell-actions/image2disk:v1.0.{a % 10}\n");
        sb.Append("        timeout: 600\n        command: [\"/bin/sh\", \"-c\", \"echo {{.workflowid}}\"]\n");
        sb.Append("        environment:\n          MODE: 0600\n          COMPRESSED: true\n");
    }

    return sb.ToString();
}

static string? FindDwf()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        foreach (string config in new[] { "Release", "Debug" })
        {
            string candidate = Path.Combine(dir.FullName, "src", "DurableWorkflows.Cli", "bin", config, "net10.0", "dwf");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
    }

    return null;
}
