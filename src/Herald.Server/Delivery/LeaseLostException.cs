namespace Herald.Server.Delivery;

/// <summary>
/// A completion written as if its job's lease were still held (<see cref="IDeliveryStore.CompleteHeldAsync"/>) found it
/// lost: its transaction fails, and the outcome is written again the careful way.
/// </summary>
public sealed class LeaseLostException() : Exception("The lease of a job whose outcome was being written had been lost; the outcome is written again, the job left to its new owner");
