namespace Herald.Server.Http;

/// <summary>
/// New work refused because the disk that holds the database has less free space than its setting keeps in reserve
/// (<see cref="Storage.DiskRoom"/>): a 503 whose message names the free bytes, the folder and the setting.
/// </summary>
public sealed class DiskLowException(string message) : Exception(message);
