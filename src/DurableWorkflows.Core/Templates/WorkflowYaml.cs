using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace DurableWorkflows.Core.Templates;

/// <summary>Writes a definition back as a normalised template (YAML, every default made explicit), which
/// <see cref="WorkflowTemplate.Load"/> reads back to an equal definition.</summary>
public static partial class WorkflowYaml
{
    public static string Write(WorkflowDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        var w = new Writer(new Emitter(writer));
        w.Emit(new StreamStart());
        w.Emit(new DocumentStart(null, null, isImplicit: true));
        w.Map(() =>
        {
            w.Pair("version", definition.Version);
            w.Pair("name", definition.Name);
            w.Number("global_timeout", definition.GlobalTimeoutSeconds);
            if (definition.Services.Count > 0)
            {
                w.Key("services");
                w.Seq(definition.Services, WriteService);
            }

            w.Key("tasks");
            w.Seq(definition.Tasks, task => w.Map(() =>
            {
                w.Pair("name", task.Name);
                w.Pair("worker", task.Worker);
                w.Strings("volumes", task.Volumes);
                w.Dictionary("environment", task.Environment);
                w.Key("actions");
                w.Seq(task.Actions, action => w.Map(() =>
                {
                    w.Pair("name", action.Name);
                    w.Pair("image", action.Image);
                    if (action.TimeoutSeconds is { } timeout)
                    {
                        w.Number("timeout", timeout);
                    }

                    w.Strings("command", action.Command);
                    w.Dictionary("environment", action.Environment);
                    w.Strings("volumes", action.Volumes);
                    if (action.Pid is not null)
                    {
                        w.Pair("pid", action.Pid);
                    }

                    w.Strings("on-timeout", action.OnTimeout);
                    w.Strings("on-failure", action.OnFailure);
                    w.Number("retries", action.Retries);
                }));
            }));
        });
        w.Emit(new DocumentEnd(isImplicit: true));
        w.Emit(new StreamEnd());
        return writer.ToString();

        void WriteService(ServiceDefinition service) => w.Map(() =>
        {
            w.Pair("name", service.Name);
            w.Pair("worker", service.Worker);
            w.Pair("image", service.Image);
            w.Dictionary("labels", service.Labels);
            w.Dictionary("environment", service.Environment);
            w.Strings("volumes", service.Volumes);
            w.Strings("command", service.Command);
            if (service.Healthcheck is { } hc)
            {
                w.Key("healthcheck");
                w.Map(() =>
                {
                    w.Strings("test", hc.Test);
                    if (hc.Interval is { } interval)
                    {
                        w.Pair("interval", TemplateRules.FormatDuration(interval));
                    }

                    if (hc.Timeout is { } t)
                    {
                        w.Pair("timeout", TemplateRules.FormatDuration(t));
                    }

                    if (hc.Retries is { } retries)
                    {
                        w.Number("retries", retries);
                    }

                    if (hc.StartPeriod is { } startPeriod)
                    {
                        w.Pair("start_period", TemplateRules.FormatDuration(startPeriod));
                    }

                    if (hc.Disable)
                    {
                        w.Key("disable");
                        w.Emit(new Scalar(AnchorName.Empty, TagName.Empty, "true", ScalarStyle.Plain, true, false));
                    }
                });
            }

            w.Pair("restart", service.Restart.Mode == RestartMode.No ? "no" : $"on-failure:{service.Restart.MaxRetries}");
            w.Pair("startup_timeout", TemplateRules.FormatDuration(service.StartupTimeout));
        });
    }

    /// <summary>Plain scalars only where no YAML reader could take them for anything but a string.</summary>
    [GeneratedRegex(@"^[A-Za-z_/][A-Za-z0-9_./-]*(?:[:][A-Za-z0-9_./-]+)*\z")]
    private static partial Regex SafePlainRegex();

    [GeneratedRegex(@"^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|\.inf|\.nan)\z")]
    private static partial Regex ReservedWordRegex();

    private sealed class Writer(IEmitter emitter)
    {
        public void Emit(ParsingEvent e) => emitter.Emit(e);

        public void Key(string key) => Emit(new Scalar(AnchorName.Empty, TagName.Empty, key, ScalarStyle.Plain, true, false));

        public void Text(string value)
        {
            bool plain = SafePlainRegex().IsMatch(value) && !ReservedWordRegex().IsMatch(value);
            Emit(new Scalar(AnchorName.Empty, TagName.Empty, value, plain ? ScalarStyle.Plain : ScalarStyle.DoubleQuoted, true, true));
        }

        public void Pair(string key, string value)
        {
            Key(key);
            Text(value);
        }

        public void Number(string key, int value)
        {
            Key(key);
            Emit(new Scalar(AnchorName.Empty, TagName.Empty, value.ToString(CultureInfo.InvariantCulture), ScalarStyle.Plain, true, false));
        }

        public void Map(Action body)
        {
            Emit(new MappingStart(AnchorName.Empty, TagName.Empty, true, MappingStyle.Block));
            body();
            Emit(new MappingEnd());
        }

        public void Seq<T>(IEnumerable<T> items, Action<T> item)
        {
            Emit(new SequenceStart(AnchorName.Empty, TagName.Empty, true, SequenceStyle.Block));
            foreach (var i in items)
            {
                item(i);
            }

            Emit(new SequenceEnd());
        }

        public void Strings(string key, IReadOnlyList<string>? values)
        {
            if (values is null || values.Count == 0)
            {
                return;
            }

            Key(key);
            Seq(values, Text);
        }

        public void Dictionary(string key, IReadOnlyDictionary<string, string> values)
        {
            if (values.Count == 0)
            {
                return;
            }

            Key(key);
            Map(() =>
            {
                foreach (var (k, v) in values)
                {
                    Text(k);
                    Text(v);
                }
            });
        }
    }
}
