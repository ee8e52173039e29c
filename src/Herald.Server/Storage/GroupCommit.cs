using Herald.Server.Http;

namespace Herald.Server.Storage;

/// <summary>
/// The node's group commit: writes of every kind (<see cref="GroupWrite{TItem,TResult}"/>: new events with their jobs,
/// finished attempts...) gather while the previous transaction runs and go to the database together, in one
/// transaction (<see cref="IWriteSessions"/>), each kind's items written by its own feature's writers. A caller is
/// answered only after the commit that holds its item. Should the shared transaction fail, each kind is written again
/// in a transaction of its own, and should that fail too, each of its items alone, so that a write one caller cannot
/// make (a new event the database refuses, say) fails only that caller. A transaction whose commit is in doubt
/// (<see cref="CommitInDoubtException"/>) is never written again: each of its callers hears that error. Registered once
/// per database.
/// </summary>
public sealed class GroupCommit : IAsyncDisposable
{
    private const int MaxBatch = 256;

    private readonly IWriteSessions _sessions;
    private readonly BatchWriter<IPending, bool> _writer;
    private int _together;

    public GroupCommit(IWriteSessions sessions)
    {
        _sessions = sessions;
        _writer = new BatchWriter<IPending, bool>(WriteAsync, MaxBatch);
    }

    /// <summary>How many transactions held items of more than one kind (for tests).</summary>
    public int TogetherWrites => Volatile.Read(ref _together);

    /// <summary>Completes once <paramref name="item"/> is committed; answers what the kind's writer answered for it.</summary>
    public async Task<TResult> WriteAsync<TItem, TResult>(GroupWrite<TItem, TResult> kind, TItem item)
    {
        var pending = new Pending<TItem, TResult>(kind, item);
        await _writer.WriteAsync(pending);
        return await pending.Done.Task;
    }

    private async Task<IReadOnlyList<bool>> WriteAsync(IReadOnlyList<IPending> batch, CancellationToken cancellationToken)
    {
        var groups = new List<(IGroupWrite Kind, List<IPending> Items)>();
        foreach (var pending in batch)
        {
            var group = groups.FindIndex(g => ReferenceEquals(g.Kind, pending.Kind));
            if (group < 0)
            {
                groups.Add((pending.Kind, [pending]));
            }
            else
            {
                groups[group].Items.Add(pending);
            }
        }
        List<Action>? answers = null;
        if (groups.Count > 1)
        {
            try
            {
                answers = await _sessions.WriteAsync(async session =>
                {
                    var all = new List<Action>(groups.Count);
                    foreach (var (kind, items) in groups)
                    {
                        all.Add(await kind.WriteAsync(session, items, cancellationToken));
                    }
                    return all;
                }, cancellationToken);
                Interlocked.Increment(ref _together);
            }
            catch (CommitInDoubtException e)
            {
                // It may have been written: written again, the batch could be written twice (a replay's second job).
                foreach (var pending in batch)
                {
                    pending.Fail(e);
                }
                return new bool[batch.Count];
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                // Nothing of the batch was written: each kind is written again on its own, below.
            }
        }
        if (answers is not null)
        {
            // Committed: an answer that cannot be read fails its own callers, and nothing is written again.
            for (var g = 0; g < groups.Count; g++)
            {
                Answer(answers[g], groups[g].Items);
            }
        }
        else
        {
            foreach (var (kind, items) in groups)
            {
                await WriteKindAsync(kind, items, cancellationToken);
            }
        }
        return new bool[batch.Count];
    }

    /// <summary>
    /// Writes one kind's items in a transaction of their own. When that fails for a reason other than the database
    /// being out of reach, the write one caller could not make (a new event the database refuses, a trigger whose config
    /// changed meanwhile) must not fail the callers that came with it: each is then written alone. A commit in doubt is
    /// the database out of reach (its connection was lost), so it is never written again here either.
    /// </summary>
    private async Task WriteKindAsync(IGroupWrite kind, List<IPending> items, CancellationToken cancellationToken)
    {
        Action answer;
        try
        {
            answer = await _sessions.WriteAsync(session => kind.WriteAsync(session, items, cancellationToken), cancellationToken);
        }
        catch (Exception e) when (items.Count > 1 && !cancellationToken.IsCancellationRequested && !ErrorHandling.DatabaseUnavailable(e))
        {
            foreach (var item in items)
            {
                await WriteKindAsync(kind, [item], cancellationToken);
            }
            return;
        }
        catch (Exception e)
        {
            items.ForEach(item => item.Fail(e));
            return;
        }
        Answer(answer, items);
    }

    private static void Answer(Action answer, List<IPending> items)
    {
        try
        {
            answer();
        }
        catch (Exception e)
        {
            items.ForEach(item => item.Fail(e));
        }
    }

    public ValueTask DisposeAsync() => _writer.DisposeAsync();

    private interface IPending
    {
        IGroupWrite Kind { get; }

        void Fail(Exception error);
    }

    private sealed class Pending<TItem, TResult>(GroupWrite<TItem, TResult> kind, TItem item) : IPending
    {
        public IGroupWrite Kind => kind;

        public TItem Item => item;

        public TaskCompletionSource<TResult> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Fail(Exception error) => Done.TrySetException(error);
    }

    /// <summary>What <see cref="GroupCommit"/> needs of a kind, whatever its types.</summary>
    internal interface IGroupWrite
    {
        /// <summary>Writes the items within the session; returns what answers their callers once the commit is done.</summary>
        Task<Action> WriteAsync(WriteSession session, IReadOnlyList<object> items, CancellationToken cancellationToken);
    }

    internal static IReadOnlyList<TItem> ItemsOf<TItem, TResult>(IReadOnlyList<object> items) =>
        items.Select(i => ((Pending<TItem, TResult>)i).Item).ToArray();

    internal static void Answer<TItem, TResult>(IReadOnlyList<object> items, IReadOnlyList<TResult> results)
    {
        for (var i = 0; i < items.Count; i++)
        {
            ((Pending<TItem, TResult>)items[i]).Done.TrySetResult(results[i]);
        }
    }
}

/// <summary>
/// One kind of write for <see cref="GroupCommit"/>: how a batch of its items is written within a shared transaction,
/// answering one result per item, in order; the results may be known only once the session has sent its statements
/// (<see cref="Later{T}"/>), and are read after the commit.
/// </summary>
public sealed class GroupWrite<TItem, TResult> : GroupCommit.IGroupWrite
{
    private readonly Func<WriteSession, IReadOnlyList<TItem>, CancellationToken, Task<Later<IReadOnlyList<TResult>>>> _write;

    public GroupWrite(Func<WriteSession, IReadOnlyList<TItem>, CancellationToken, Task<IReadOnlyList<TResult>>> write) =>
        _write = async (session, items, cancellationToken) => Later<IReadOnlyList<TResult>>.Now(await write(session, items, cancellationToken));

    public GroupWrite(Func<WriteSession, IReadOnlyList<TItem>, CancellationToken, Task<Later<IReadOnlyList<TResult>>>> write) => _write = write;

    async Task<Action> GroupCommit.IGroupWrite.WriteAsync(WriteSession session, IReadOnlyList<object> items, CancellationToken cancellationToken)
    {
        var results = await _write(session, GroupCommit.ItemsOf<TItem, TResult>(items), cancellationToken);
        return () => GroupCommit.Answer<TItem, TResult>(items, results.Value);
    }
}
