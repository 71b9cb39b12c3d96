namespace DurableWorkflows.Containers;

/// <summary>A container operation failed for a reason worth showing a user as it is.</summary>
public class ContainerEngineException : Exception
{
    public ContainerEngineException()
    {
    }

    public ContainerEngineException(string message)
        : base(message)
    {
    }

    public ContainerEngineException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The Docker endpoint could not be reached (or did not answer in time).</summary>
public sealed class DockerUnreachableException : ContainerEngineException
{
    public DockerUnreachableException()
    {
    }

    public DockerUnreachableException(string message)
        : base(message)
    {
    }

    public DockerUnreachableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public DockerUnreachableException(string endpoint, string message, Exception innerException)
        : base(message, innerException) => Endpoint = endpoint;

    public string Endpoint { get; } = "";
}
