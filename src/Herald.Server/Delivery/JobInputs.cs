using Herald.Server.Configs;
using Herald.Server.Events;
using Herald.Server.Http;

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
        IReadOnlyList<DeliveryJob> jobs, IEventStore events, IConfigStore configs, ConfigSecretsBox secrets, CancellationToken cancellationToken)
    {
        var found = await events.FindAsync(jobs.Select(j => j.EventId).Distinct(StringComparer.Ordinal).ToArray(), cancellationToken);
        var opened = new Dictionary<(OrganizationId OrgId, ConfigId ConfigId), (ConfigRecord? Config, ConfigSecrets? Secrets)>();
        var inputs = new List<JobInputs>(jobs.Count);
        foreach (var job in jobs)
        {
            if (!opened.TryGetValue((job.OrgId, job.ConfigId), out var config))
            {
                var record = await configs.GetAsync(job.OrgId, job.ConfigId, cancellationToken);
                config = (record, record is null ? null : secrets.Open(record));
                opened[(job.OrgId, job.ConfigId)] = config;
            }
            // An event of another organization is as good as gone, as a read by organization and id would have it.
            var stored = found.GetValueOrDefault(job.EventId) is { } e && e.OrgId == job.OrgId ? e : null;
            inputs.Add(new JobInputs(stored, config.Config, config.Secrets));
        }
        return inputs;
    }
}
