namespace Herald.Server.Storage;

/// <summary>One numbered schema step. Steps are applied in order, once, each in its own transaction.</summary>
public sealed record Migration(int Version, string Name, string Sql);
