using System.Net;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Logging;

namespace DurableWorkflows.Containers.DockerApi;

/// <summary>Images on a Docker endpoint: present or pulled per the pull policy, with a clear error naming the image otherwise.</summary>
internal sealed class DockerImageOperations(DockerOptions options, ILogger logger)
{
    /// <summary>Makes sure the image is on the endpoint, pulling per the pull policy; a clear error naming it otherwise.</summary>
    public async Task<ImageInspectResponse> EnsureAsync(DockerEndpoint endpoint, string image, string owner, CancellationToken cancellationToken)
    {
        var policy = options.PullPolicy;
        if (policy != PullPolicies.Always && await TryInspectAsync(endpoint, image, cancellationToken) is { } present)
        {
            return present;
        }

        if (policy == PullPolicies.Never)
        {
            throw new ContainerEngineException(
                $"{owner}: image '{image}' is not on Docker endpoint {endpoint}, and {DockerOptions.SectionName}:PullPolicy is 'never'.");
        }

        var error = await PullAsync(endpoint, image, cancellationToken);
        if (error is null && await TryInspectAsync(endpoint, image, cancellationToken) is { } pulled)
        {
            return pulled;
        }

        throw new ContainerEngineException(
            $"{owner}: image '{image}' is not on Docker endpoint {endpoint} and could not be pulled: {error ?? "the pull ended without the image"}");
    }

    /// <summary>Pulls the image (bounded by PullTimeout); the first error of the pull, or null.</summary>
    private async Task<string?> PullAsync(DockerEndpoint endpoint, string image, CancellationToken cancellationToken)
    {
        Log.Pulling(logger, image, endpoint.Uri);
        var (repository, tag) = SplitImage(image);
        var progress = new PullProgress();
        try
        {
            await endpoint.CallAsync(
                (c, ct) => c.Images.CreateImageAsync(new ImagesCreateParameters { FromImage = repository, Tag = tag }, null, progress, ct),
                cancellationToken,
                options.PullTimeout);
            return progress.Error;
        }
        catch (DockerApiException e)
        {
            return DockerContainerOperations.DockerMessage(e);
        }
    }

    internal static async Task<bool> ExistsAsync(DockerEndpoint endpoint, string image, CancellationToken cancellationToken) =>
        await TryInspectAsync(endpoint, image, cancellationToken) is not null;

    private static async Task<ImageInspectResponse?> TryInspectAsync(DockerEndpoint endpoint, string image, CancellationToken cancellationToken)
    {
        try
        {
            return await endpoint.CallAsync((c, ct) => c.Images.InspectImageAsync(image, ct), cancellationToken);
        }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Repository and tag for a pull; a digest stays in the repository, no tag means latest.</summary>
    internal static (string Repository, string? Tag) SplitImage(string image)
    {
        if (image.Contains('@', StringComparison.Ordinal))
        {
            return (image, null);
        }

        var slash = image.LastIndexOf('/');
        var colon = image.LastIndexOf(':');
        return colon > slash ? (image[..colon], image[(colon + 1)..]) : (image, "latest");
    }

    /// <summary>Collects the first error of a pull's progress stream (synchronously, unlike Progress&lt;T&gt;).</summary>
    private sealed class PullProgress : IProgress<JSONMessage>
    {
        public string? Error { get; private set; }

        public void Report(JSONMessage value)
        {
            Error ??= value.Error?.Message is { Length: > 0 } m ? m : value.ErrorMessage is { Length: > 0 } em ? em : null;
        }
    }
}
