using System.Security.Cryptography;
using Herald.Server.Http;

namespace Herald.Server.Secrets;

/// <summary>
/// Keeps the stored secrets in step with the master key. At start, a value of each sealed column for each key that
/// sealed its values must open with the keys Herald was given, or Herald does not start
/// (<see cref="CheckStoredSecretsAsync"/>): a changed <c>Secrets:MasterKey</c> without the key it replaced in
/// <c>Secrets:PreviousMasterKeys</c> would fail every delivery.
/// With earlier keys given, the node then seals every value an earlier key sealed again with the current one, in the
/// background, a row at a time and only while the row still holds what was read (another node may be doing the same,
/// and a writer may have replaced it), and logs when none is left, so the earlier keys can be removed.
/// </summary>
public sealed partial class Resealing(
    SecretBox box, ISealedValues store, IEnumerable<SealedColumn> columns, IEnumerable<ISealedFiles> files, ILogger<Resealing> logger) : BackgroundService
{
    /// <summary>Rows read at a time.</summary>
    internal const int PageSize = 100;

    private readonly SealedColumn[] _columns = columns.ToArray();

    /// <summary>How the last pass ended: null before it did.</summary>
    internal Outcome? LastPass { get; private set; }

    /// <summary>
    /// Refuses the start (<see cref="InvalidSettingException"/>) when values of a sealed column that one key sealed open
    /// with none of the keys given: one value is tried for each key, so a key removed from
    /// <c>Secrets:PreviousMasterKeys</c> while values it sealed are left is found, whichever row comes first. Called by the start before the host runs, so the refusal is one line; a database not migrated yet
    /// holds nothing sealed.
    /// </summary>
    public async Task CheckStoredSecretsAsync(CancellationToken cancellationToken)
    {
        foreach (var column in _columns)
        {
            if ((await store.OnePerKeyAsync(column, cancellationToken)).FirstOrDefault(row => !Opens(column, row)) is { } first)
            {
                throw new InvalidSettingException(
                    $"Secrets:MasterKey does not open the stored secrets ({column} of organization {first.OrgId}, {first.Id}). If the master key was "
                    + $"changed, give the key it replaced in {SecretsOptions.PreviousKeysSetting}:0 (the stored secrets are then sealed again with the new one); "
                    + "if not, Secrets:MasterKey (or master.key in Storage:DataDirectory) is not the key this database was written with");
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!box.HasPreviousKeys)
        {
            return;
        }
        try
        {
            LastPass = await PassAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }
        catch (Exception e)
        {
            LogPassFailed(logger, e);
            return;
        }
        if (LastPass.Failed == 0)
        {
            LogDone(logger, LastPass.Resealed, LastPass.Changed);
        }
        else
        {
            LogLeft(logger, LastPass.Resealed, LastPass.Failed, LastPass.FirstFailure!);
        }
    }

    /// <summary>One walk over every sealed column and file.</summary>
    internal async Task<Outcome> PassAsync(CancellationToken cancellationToken)
    {
        var outcome = new Outcome();
        foreach (var column in _columns)
        {
            (string, string)? after = null;
            while (true)
            {
                var page = await store.PageAsync(column, after, PageSize, cancellationToken);
                foreach (var row in page)
                {
                    byte[] resealed;
                    try
                    {
                        if (!box.NeedsResealing(row.Value))
                        {
                            continue;
                        }
                        resealed = box.Reseal(row.Value, column.Owner(row.OrgId, row.Id));
                    }
                    catch (CryptographicException)
                    {
                        // No key opens it, or its format is unknown (damaged): counted, and the pass goes on.
                        outcome.Fail($"{column} of organization {row.OrgId}, {row.Id}");
                        continue;
                    }
                    if (await store.ReplaceAsync(column, row, resealed, cancellationToken))
                    {
                        outcome.Resealed++;
                    }
                    else
                    {
                        outcome.Changed++;
                    }
                }
                if (page.Count < PageSize)
                {
                    break;
                }
                after = (page[^1].OrgId, page[^1].Id);
            }
        }
        foreach (var set in files)
        {
            await set.ResealAsync(box, outcome, cancellationToken);
        }
        return outcome;
    }

    private bool Opens(SealedColumn column, SealedRow row)
    {
        try
        {
            box.Open(row.Value, column.Owner(row.OrgId, row.Id));
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>What a pass did: values sealed again, values a writer changed first, values no key opens.</summary>
    public sealed class Outcome
    {
        public int Resealed { get; set; }

        public int Changed { get; set; }

        public int Failed { get; private set; }

        public string? FirstFailure { get; private set; }

        public void Fail(string what)
        {
            Failed++;
            FirstFailure ??= what;
        }
    }

    [LoggerMessage(EventId = 110, Level = LogLevel.Information, Message = "Sealed {Resealed} stored secrets again with Secrets:MasterKey ({Changed} were rewritten by their owner meanwhile): every stored secret opens with it, so Secrets:PreviousMasterKeys can be removed once every node has started with this master key.")]
    private static partial void LogDone(ILogger logger, int resealed, int changed);

    [LoggerMessage(EventId = 111, Level = LogLevel.Warning, Message = "Sealed {Resealed} stored secrets again with Secrets:MasterKey, but {Failed} open with none of the keys Herald was given (the first: {First}); they stay as they are and what needs them fails. Keep Secrets:PreviousMasterKeys, and add the key that sealed them if it is missing.")]
    private static partial void LogLeft(ILogger logger, int resealed, int failed, string first);

    [LoggerMessage(EventId = 112, Level = LogLevel.Error, Message = "Sealing the stored secrets again with Secrets:MasterKey stopped; it runs again at the node's next start, and Secrets:PreviousMasterKeys must stay until it completes.")]
    private static partial void LogPassFailed(ILogger logger, Exception error);
}
