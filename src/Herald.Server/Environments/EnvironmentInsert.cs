namespace Herald.Server.Environments;

/// <summary>What <see cref="IEnvironmentStore.InsertAsync(EnvironmentRecord, int, CancellationToken)"/> did.</summary>
public enum EnvironmentInsert
{
    Inserted,

    /// <summary>The organization has a variable with that key already.</summary>
    Exists,

    /// <summary>The organization keeps as many variables as it may.</summary>
    TooMany,
}
