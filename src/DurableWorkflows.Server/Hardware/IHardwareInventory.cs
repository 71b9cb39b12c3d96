using DurableWorkflows.Core.Contracts;

namespace DurableWorkflows.Server.Hardware;

/// <summary>
/// The server's Hardware records, by name (<see cref="HardwareNames.Validate"/>), shared by every node of the task hub.
/// Callers validate names and records; the inventory keeps what it is given.
/// </summary>
public interface IHardwareInventory
{
    /// <summary>The record named <paramref name="name"/>, or null.</summary>
    Task<HardwareEntry?> GetAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Every record, by name.</summary>
    Task<IReadOnlyList<HardwareEntry>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Stores the record, replacing one of the same name; true when there was none.</summary>
    Task<bool> PutAsync(HardwareEntry entry, CancellationToken cancellationToken = default);

    /// <summary>Removes the record; false when there was none.</summary>
    Task<bool> DeleteAsync(string name, CancellationToken cancellationToken = default);
}
