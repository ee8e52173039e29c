namespace Herald.Server.Configs;

/// <summary>
/// Which version of a config's row a record was read from: PostgreSQL's <c>xmin</c> (the transaction that wrote the
/// row version; every insert and update, also one that keeps <see cref="ConfigRecord.Version"/>, writes a new one)
/// and the config's version.
/// </summary>
public readonly record struct ConfigStamp(uint RowVersion, long Version);

/// <summary>A config row's stamp and its record; the record is null when the stamp equals the one the reader knew.</summary>
public sealed record StampedConfig(ConfigStamp Stamp, ConfigRecord? Record);
