using System.Data.Common;
using System.Runtime.ExceptionServices;
using System.Text;
using Herald.Server.Events;
using Herald.Server.Http;
using Herald.Server.Storage;

namespace Herald.Server.Delivery;

/// <summary>
/// Records finished attempts through the node's group commit (<see cref="GroupCommit"/>), in the same transaction as
/// the other writes gathered meanwhile (new events with their jobs): the job's end or new due time (Delivery), and the
/// attempt row and the event's new state (Events), and the configs' failure streaks (<see cref="IConfigHealthStore"/>).
/// An outcome counts as recorded only after the commit that holds it; a streak long enough to disable its config is
/// then handed to <see cref="FailingConfigs"/>. An outcome the database refuses for what it holds is written again
/// bare (<see cref="JobCompletion.Bare"/>): a receiver's answer must never keep its event from ending.
/// </summary>
public sealed partial class OutcomeWriter
{
    private readonly IDeliveryStore _store;
    private readonly GroupCommit _commit;
    private readonly GroupWrite<JobCompletion, (bool Held, FailureStreak? Streak)> _held;
    private readonly GroupWrite<JobCompletion, (bool Held, FailureStreak? Streak)> _careful;
    private readonly FailingConfigs? _failing;
    private readonly ILogger? _logger;

    public OutcomeWriter(
        IDeliveryStore store, IEventWriter events, GroupCommit commit, IConfigHealthStore? health = null, FailingConfigs? failing = null,
        ILogger<OutcomeWriter>? logger = null)
    {
        _store = store;
        _commit = commit;
        _failing = failing;
        _logger = logger;
        // Almost always every lease is still held: the job's end, the attempt and the event's new state are then written
        // without reading anything first, and on PostgreSQL go with the commit, in one round trip. A lost lease fails
        // the transaction, and the completion is written again by the careful writer below.
        _held = new GroupWrite<JobCompletion, (bool, FailureStreak?)>(async (session, completions, cancellationToken) =>
        {
            await store.CompleteHeldAsync(session, completions, cancellationToken);
            return await WriteRestAsync(session, completions, completions.Select(_ => true).ToArray(), cancellationToken);
        });
        _careful = new GroupWrite<JobCompletion, (bool, FailureStreak?)>(async (session, completions, cancellationToken) =>
            await WriteRestAsync(session, completions, await store.CompleteAsync(session, completions, cancellationToken), cancellationToken));

        async Task<IReadOnlyList<(bool, FailureStreak?)>> WriteRestAsync(
            WriteSession session, IReadOnlyList<JobCompletion> completions, IReadOnlyList<bool> held, CancellationToken cancellationToken)
        {
            // The attempt is recorded even when the lease was lost: it was made. The event is left to the job's new owner.
            var attempts = completions.Where(c => c.Attempt is not null).Select(c => c.Attempt!).ToList();
            if (attempts.Count > 0)
            {
                await events.AddAttemptsAsync(session, attempts, cancellationToken);
            }
            var updates = completions.Where((_, i) => held[i]).Select(c => c.Event).ToList();
            if (updates.Count > 0)
            {
                await events.UpdateAsync(session, updates, cancellationToken);
            }
            var marks = completions.Where(c => c.Health is not null).Select(c => c.Health!).ToList();
            var streaks = health is null || marks.Count == 0 ? [] : await health.RecordAsync(session, marks, cancellationToken);
            return completions.Select((c, i) => (held[i], StreakOf(c, marks, streaks))).ToArray();
        }
    }

    /// <summary>Records the completion; true when the lease was still held (the event and job changed).</summary>
    public async Task<bool> CompleteAsync(JobCompletion completion)
    {
        (bool Held, FailureStreak? Streak) written;
        try
        {
            try
            {
                written = await _commit.WriteAsync(_held, completion);
            }
            catch (Exception e) when (_store.IsLeaseLost(e))
            {
                written = await _commit.WriteAsync(_careful, completion);
            }
        }
        catch (Exception refusal) when (Refused(refusal))
        {
            written = await WriteBareAsync(completion, refusal);
        }
        if (written.Streak is not null)
        {
            _failing?.Consider(written.Streak);
        }
        return written.Held;
    }

    /// <summary>
    /// Whether the database refused the completion for what it holds (a check, a trigger, text its driver cannot
    /// encode), not because it cannot serve now, a lease was lost, or a transaction lost to another (SQLSTATE class 40,
    /// which the store writes again itself): the same outcome would be refused again at each lease expiry, and its event
    /// sent again each time.
    /// </summary>
    private bool Refused(Exception error) =>
        error is not OperationCanceledException and not DbException { SqlState: ['4', '0', _, _, _] }
        && !ErrorHandling.DatabaseUnavailable(error) && !_store.IsLeaseLost(error);

    /// <summary>
    /// Writes the outcome without the text it carries from outside (<see cref="JobCompletion.Bare"/>); should that be
    /// refused too, the first refusal stands, and the job is claimed again when its lease runs out.
    /// </summary>
    private async Task<(bool Held, FailureStreak? Streak)> WriteBareAsync(JobCompletion completion, Exception refusal)
    {
        var why = Plain(refusal.Message);
        (bool Held, FailureStreak? Streak) written;
        try
        {
            // The careful writer: a lease lost meanwhile leaves the event to the job's new owner.
            written = await _commit.WriteAsync(_careful, completion.Bare(
                $"The database refused this attempt's record ({refusal.GetType().Name}: {why}); it is kept without the receiver's answer and the request sent."));
        }
        catch (Exception)
        {
            ExceptionDispatchInfo.Throw(refusal);
            throw;
        }
        if (_logger is not null)
        {
            LogRecordedBare(_logger, completion.Job.ConfigId, completion.Job.EventId, refusal);
        }
        return written;
    }

    /// <summary>An error's message as storable text: at most 300 characters, U+0000 and halves of characters replaced.</summary>
    private static string Plain(string message) =>
        StoredText.Storable(Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(StoredText.Cut(message, 300))))!;

    /// <summary>A config's streak goes to the completion holding its last mark of the batch, so it is considered once.</summary>
    private static FailureStreak? StreakOf(JobCompletion completion, List<HealthMark> marks, IReadOnlyList<FailureStreak> streaks) =>
        completion.Health is { Succeeded: false } mark && ReferenceEquals(marks.FindLast(m => m.OrgId == mark.OrgId && m.ConfigId == mark.ConfigId), mark)
            ? streaks.FirstOrDefault(s => s.OrgId == mark.OrgId && s.ConfigId == mark.ConfigId)
            : null;

    [LoggerMessage(EventId = 213, Level = LogLevel.Warning, Message = "Config {ConfigId} event {EventId}: the database refused the attempt's record; recorded without the receiver's answer and the request sent")]
    private static partial void LogRecordedBare(ILogger logger, ConfigId configId, WebhookEventId eventId, Exception error);
}
