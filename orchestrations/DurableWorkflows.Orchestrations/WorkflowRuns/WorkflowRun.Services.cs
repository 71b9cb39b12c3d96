using DurableWorkflows.Core.Contracts;
using DurableWorkflows.Core.Templates;
using Microsoft.DurableTask;
using static DurableWorkflows.Orchestrations.WorkflowRuns.StatusTransitions;

namespace DurableWorkflows.Orchestrations.WorkflowRuns;

/// <summary>The services: started at once, awaited at once until ready; looked at again while the tasks run.</summary>
internal sealed partial class WorkflowRun
{
    private bool servicesFailed;

    private async Task<WorkflowOutcome?> StartServicesAsync()
    {
        if (definition.Services.Count == 0)
        {
            return null;
        }

        // Fan out: every service starts at once, then every service is awaited at once; the first failure ends it.
        ServiceStarted?[] started = await Task.WhenAll(definition.Services.Select(StartServiceAsync));
        ServiceDefinition? notStarted = definition.Services.Where((_, i) => started[i] is null).FirstOrDefault();
        if (notStarted is not null)
        {
            return new WorkflowOutcome(WorkflowState.FAILED, ServiceFailureMessage(Status, notStarted.Name));
        }

        var waits = definition.Services.Select((service, i) => AwaitServiceReadyAsync(service, started[i]!)).ToList();
        while (waits.Count > 0)
        {
            Task<(string Service, bool Ready)> done = await Task.WhenAny(waits);
            waits.Remove(done);
            (string service, bool ready) = await done;
            if (!ready)
            {
                servicesFailed = true;
                return new WorkflowOutcome(WorkflowState.FAILED, ServiceFailureMessage(Status, service));
            }
        }

        return null;
    }

    private async Task<ServiceStarted?> StartServiceAsync(ServiceDefinition service)
    {
        Update(s => ServiceStarting(s, service.Name));
        try
        {
            ServiceStarted started = await CountedStartAsync(() =>
                activities.StartServiceAsync(StartServiceInput.Of(workflowInput, service)));
            Update(s => ServiceStarted(s, service.Name, started.ContainerName, Now));
            Log.ServiceState(context.CreateReplaySafeLogger<WorkflowOrchestrator>(), WorkflowId, service.Name, "started");
            return started;
        }
        catch (TaskFailedException ex)
        {
            MarkServiceFailed(service.Name, $"could not start: {ex.FailureDetails.ErrorMessage}", []);
            return null;
        }
    }

    private async Task<(string Service, bool Ready)> AwaitServiceReadyAsync(ServiceDefinition service, ServiceStarted started)
    {
        // Bounded by the startup timeout (checked below) and the global timeout; each call waits up to MaxWait.
        DateTimeOffset? deadline = service.StartupTimeout > TimeSpan.Zero ? Now + service.StartupTimeout : null;
        ServiceReadiness readiness;
        do
        {
            ThrowIfStopped();
            if (servicesFailed)
            {
                return (service.Name, false);
            }

            try
            {
                readiness = await activities.AwaitServiceHealthyAsync(
                    new AwaitServiceHealthyInput(WorkflowId, service, started.ContainerId, deadline, settings.MaxWait, settings.WorkerEndpoints));
            }
            catch (TaskFailedException ex)
            {
                MarkServiceFailed(service.Name, $"could not check readiness: {ex.FailureDetails.ErrorMessage}", []);
                return (service.Name, false);
            }

            if (readiness.Ready)
            {
                Update(s => ServiceReady(s, service.Name, readiness, Now));
                Log.ServiceState(context.CreateReplaySafeLogger<WorkflowOrchestrator>(), WorkflowId, service.Name, "ready");
                return (service.Name, true);
            }

            if (!readiness.Pending)
            {
                MarkServiceFailed(service.Name, readiness.Reason ?? $"not ready ({readiness.State})", readiness.LogTail, readiness);
                return (service.Name, false);
            }

            if (deadline is { } d && Now >= d)
            {
                MarkServiceFailed(service.Name, $"not ready within its startup timeout of {service.StartupTimeout.TotalSeconds:0.###} s", readiness.LogTail, readiness);
                return (service.Name, false);
            }

            Update(s => ServicePending(s, service.Name, readiness));
        }
        while (readiness.Pending);

        return (service.Name, false);
    }

    private void MarkServiceFailed(string service, string reason, IReadOnlyList<string> logTail, ServiceReadiness? readiness = null)
    {
        Update(s => ServiceFailed(s, service, reason, logTail, readiness, Now));
        Log.ServiceState(context.CreateReplaySafeLogger<WorkflowOrchestrator>(), WorkflowId, service, "failed");
    }

    /// <summary>Records restarts and exits of services since the last look; never changes the workflow's state.</summary>
    private async Task InspectServicesAsync()
    {
        ThrowIfStopped();
        IReadOnlyList<ServiceObservation> observations;
        try
        {
            observations = await activities.InspectServicesAsync(new InspectServicesInput(WorkflowId, workers, settings.WorkerEndpoints));
        }
        catch (TaskFailedException ex)
        {
            Log.InspectFailed(context.CreateReplaySafeLogger<WorkflowOrchestrator>(), WorkflowId, ex.FailureDetails.ErrorMessage);
            return;
        }

        foreach (ServiceObservation seen in observations)
        {
            Update(s => ServiceObserved(s, seen, Now));
        }
    }
}
