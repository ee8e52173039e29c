using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Server.Tests.Support;

/// <summary>
/// Reads one observable instrument of one app. <c>/metrics</c> cannot say which app a gauge's value came from when
/// several apps run in one process: OpenTelemetry listens to every meter of a name, whichever container created it,
/// and one instrument's callback answers for all of that name. This listener takes only the instruments of the meters
/// that <paramref name="services"/>' own <see cref="IMeterFactory"/> created.
/// </summary>
public static class HostGauges
{
    public static double Read(IServiceProvider services, string meterName, string instrumentName)
    {
        var factory = services.GetRequiredService<IMeterFactory>();
        double total = 0;
        var found = false;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == meterName && instrument.Name == instrumentName && ReferenceEquals(instrument.Meter.Scope, factory))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => { total += value; found = true; });
        listener.SetMeasurementEventCallback<double>((_, value, _, _) => { total += value; found = true; });
        listener.Start();
        listener.RecordObservableInstruments();
        return found ? total : throw new InvalidOperationException($"This app has no instrument {instrumentName} on its meter {meterName}");
    }
}
