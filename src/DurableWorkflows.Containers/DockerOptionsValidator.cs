using Microsoft.Extensions.Options;

namespace DurableWorkflows.Containers;

/// <summary>Checks <see cref="DockerOptions"/> at start, naming each bad setting.</summary>
public sealed class DockerOptionsValidator : IValidateOptions<DockerOptions>
{
    public ValidateOptionsResult Validate(string? name, DockerOptions options)
    {
        var errors = new List<string>();
        const string s = DockerOptions.SectionName;
        if (options.PullPolicy is not (PullPolicies.IfMissing or PullPolicies.Always or PullPolicies.Never))
        {
            errors.Add($"{s}:PullPolicy is '{options.PullPolicy}'; expected if-missing, always or never.");
        }

        if (options.UnknownWorkers is not (UnknownWorkerPolicies.Default or UnknownWorkerPolicies.Error or UnknownWorkerPolicies.Agent))
        {
            errors.Add($"{s}:UnknownWorkers is '{options.UnknownWorkers}'; expected default, error or agent.");
        }

        if (options.DefaultEndpoint is { Length: > 0 } d && DockerEndpoints.CheckUri(d) is { } e)
        {
            errors.Add($"{s}:DefaultEndpoint: {e}");
        }

        foreach (var (worker, endpoint) in options.Workers)
        {
            if (!endpoint.IsAgent && DockerEndpoints.CheckUri(endpoint.Endpoint) is { } err)
            {
                errors.Add($"{s}:Workers:{worker}: {err}");
            }

            if ((endpoint.TlsCertPath is null) != (endpoint.TlsKeyPath is null))
            {
                errors.Add($"{s}:Workers:{worker}: TlsCertPath and TlsKeyPath go together.");
            }
        }

        Positive(options.StopGracePeriodSeconds, "StopGracePeriodSeconds", allowZero: true);
        Positive(options.MaxWaitSeconds, "MaxWaitSeconds");
        Positive(options.ReaperPeriodSeconds, "ReaperPeriodSeconds");
        Positive(options.PollIntervalMilliseconds, "PollIntervalMilliseconds");
        Positive(options.RequestTimeoutSeconds, "RequestTimeoutSeconds");
        Positive(options.PullTimeoutSeconds, "PullTimeoutSeconds");
        Positive(options.LogTailLines, "LogTailLines", allowZero: true);
        if (string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            errors.Add($"{DockerOptions.DataDirectoryKey} is empty.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);

        void Positive(int value, string key, bool allowZero = false)
        {
            if (value < 0 || (value == 0 && !allowZero))
            {
                errors.Add($"{s}:{key} is {value}; it must be {(allowZero ? "zero or more" : "more than zero")}.");
            }
        }
    }
}
