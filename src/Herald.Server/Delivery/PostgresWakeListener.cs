using Herald.Server.Storage;
using Herald.Server.Storage.Postgres;
using Npgsql;

namespace Herald.Server.Delivery;

/// <summary>
/// Across PostgreSQL nodes: LISTENs on the queue's channel and turns every NOTIFY into the local wake-up signal.
/// Only a hint; when the connection drops, the poll keeps delivering while this reconnects.
/// </summary>
public sealed partial class PostgresWakeListener(IServiceProvider services, StorageOptions storage, DeliverySignal signal, ILogger<PostgresWakeListener> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (storage.Provider != StorageProvider.Postgres)
        {
            return; // one SQLite node: the in-process signal is all the wake-up there is
        }
        var database = services.GetRequiredService<PostgresDatabase>();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await database.DataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, _) => signal.Notify();
                try
                {
                    await using (var listen = new NpgsqlCommand($"LISTEN {PostgresDeliveryStore.WakeChannel}", connection))
                    {
                        await listen.ExecuteNonQueryAsync(stoppingToken);
                    }
                    while (!stoppingToken.IsCancellationRequested)
                    {
                        await connection.WaitAsync(stoppingToken);
                    }
                }
                finally
                {
                    await UnlistenAsync(connection);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogListenFailed(logger, e);
                await Task.Delay(TimeSpan.FromSeconds(1), TimeProvider.System, stoppingToken);
            }
        }
    }

    /// <summary>
    /// Pooled connections are not reset when they go back to the pool (<see cref="PostgresDatabase"/>): one that still
    /// listened would collect notifications nobody reads. Best effort; a broken connection is not pooled anyway.
    /// </summary>
    private static async Task UnlistenAsync(NpgsqlConnection connection)
    {
        try
        {
            using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await using var unlisten = new NpgsqlCommand("UNLISTEN *", connection);
            await unlisten.ExecuteNonQueryAsync(bound.Token);
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or InvalidOperationException)
        {
        }
    }

    [LoggerMessage(EventId = 230, Level = LogLevel.Warning, Message = "Listening for queue notifications failed; reconnecting")]
    private static partial void LogListenFailed(ILogger logger, Exception error);
}
