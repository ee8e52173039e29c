using Herald.Server.Configs;
using Herald.Server.Events;

namespace Herald.Server.Delivery;

/// <summary>
/// What running a job reads before its attempt: the stored event, the config as it is now, and the config's opened
/// secrets. A worker loads them for a whole claim at once (one read of the events, one per distinct config); a null
/// event or config is one that no longer exists.
/// </summary>
public sealed record JobInputs(EventRecord? Event, ConfigRecord? Config, ConfigSecrets? Secrets)
{
    /// <summary>Loads the inputs of every job, in order.</summary>
    public static async Task<IReadOnlyList<JobInputs>> LoadAsync(
        IReadOnlyList<DeliveryJob> jobs, IDeliveryStore store, IConfigStore configs, ConfigSecretsBox secrets, CancellationToken cancellationToken)
    {
        var events = await store.EventsOfAsync(jobs, cancellationToken);
        var opened = new Dictionary<(string OrgId, string ConfigId), (ConfigRecord? Config, ConfigSecrets? Secrets)>();
        var inputs = new List<JobInputs>(jobs.Count);
        foreach (var job in jobs)
        {
            if (!opened.TryGetValue((job.OrgId, job.ConfigId), out var config))
            {
                var record = await configs.GetAsync(job.OrgId, job.ConfigId, cancellationToken);
                config = (record, record is null ? null : secrets.Open(record));
                opened[(job.OrgId, job.ConfigId)] = config;
            }
            inputs.Add(new JobInputs(events.GetValueOrDefault(job.EventId), config.Config, config.Secrets));
        }
        return inputs;
    }

    /// <summary>Drops events whose organization is not their job's, as a read by organization and id would.</summary>
    internal static IReadOnlyDictionary<string, EventRecord> OfTheirOrganizations(IReadOnlyList<DeliveryJob> jobs, Dictionary<string, EventRecord> found)
    {
        foreach (var job in jobs)
        {
            if (found.TryGetValue(job.EventId, out var stored) && stored.OrgId != job.OrgId)
            {
                found.Remove(job.EventId);
            }
        }
        return found;
    }
}
