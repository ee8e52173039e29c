namespace Herald.Server.Delivery;

public sealed partial class SendQueue
{
    /// <summary>The waiters per destination that has any, over every organization (for the gauges).</summary>
    public Dictionary<string, int> WaitingByDestination()
    {
        var waiting = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var org in _orgs.Values)
        {
            foreach (var line in org.Lines.Values.Where(l => l.Waiters.Count > 0))
            {
                waiting[line.Destination] = waiting.GetValueOrDefault(line.Destination) + line.Waiters.Count;
            }
        }
        return waiting;
    }
}
