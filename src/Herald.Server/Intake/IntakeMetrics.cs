using System.Diagnostics;
using System.Diagnostics.Metrics;
using Herald.Server.Http;
using Herald.Server.Telemetry;

namespace Herald.Server.Intake;

/// <summary>
/// Intake's instrument on the <c>Herald.Intake</c> meter: events accepted (each committed with its job) by triggers
/// and fan-outs; the organization is an attribute only with <see cref="MetricsOptions.OrganizationAttribute"/>.
/// </summary>
public sealed class IntakeMetrics
{
    public const string MeterName = "Herald.Intake";

    private readonly Counter<long> _accepted;
    private readonly bool _byOrganization;

    public IntakeMetrics(IMeterFactory meters, MetricsOptions? options = null)
    {
        _byOrganization = options?.OrganizationAttribute ?? false;
        _accepted = meters.Create(MeterName).CreateCounter<long>("herald.triggers.accepted", "{event}", "Events accepted by triggers and fan-outs, each committed with its delivery job");
    }

    public void Accepted(OrganizationId orgId, int count)
    {
        if (count > 0)
        {
            _accepted.Add(count, _byOrganization ? new TagList { { "organization", orgId.Value } } : default);
        }
    }
}
