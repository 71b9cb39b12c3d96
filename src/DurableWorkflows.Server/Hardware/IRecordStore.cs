using DurableWorkflows.Core.Contracts;

namespace DurableWorkflows.Server.Hardware;

/// <summary>The server's Hardware records, by name (<see cref="HardwareNames.Validate(string?)"/>).</summary>
public interface IHardwareInventory : IRecordStore;

/// <summary>The server's stored templates, by name (<see cref="TemplateNames.Validate"/>): what Workflow objects' <c>templateRef</c> names.</summary>
public interface ITemplateStore : IRecordStore;

/// <summary>
/// Records the server keeps by name, shared by every node of the task hub. Callers validate names and records; the
/// store keeps what it is given.
/// </summary>
public interface IRecordStore
{
    /// <summary>The record named <paramref name="name"/>, or null.</summary>
    Task<StoredRecord?> GetAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Every record, by name.</summary>
    Task<IReadOnlyList<StoredRecord>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Stores the record, replacing one of the same name; true when there was none.</summary>
    Task<bool> PutAsync(StoredRecord entry, CancellationToken cancellationToken = default);

    /// <summary>Removes the record; false when there was none.</summary>
    Task<bool> DeleteAsync(string name, CancellationToken cancellationToken = default);
}
