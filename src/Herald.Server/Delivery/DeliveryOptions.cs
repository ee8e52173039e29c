using Herald.Server.Egress;
using Herald.Server.Http;

namespace Herald.Server.Delivery;

/// <summary>
/// The <c>Delivery</c> section as the queue and the scheduler read it: leases and send shares. How one request is made
/// and bounded (timeouts, guard, proxies, caps) is read from the same section by <see cref="EgressOptions"/>.
/// </summary>
public sealed class DeliveryOptions
{
    public const string Section = "Delivery";

    /// <summary>
    /// How long a claimed job stays owned without renewal. Always at least the attempt timeout plus
    /// <see cref="LeaseMargin"/>, so an attempt can never outlive its lease.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(90);

    /// <summary>
    /// What a lease holds beyond the attempt timeout, for the attempt's outcome to be written: should every renewal
    /// fail, an attempt that began at the claim still has its outcome committed before another node may take the job.
    /// When <see cref="LeaseDuration"/> is shorter than the attempt timeout and this together, it is also how long,
    /// beyond the attempt timeout, a crashed node's jobs wait before another node takes them.
    /// </summary>
    public TimeSpan LeaseMargin { get; set; } = TimeSpan.FromSeconds(15);

    public static readonly TimeSpan MinLeaseMargin = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan MaxLeaseMargin = TimeSpan.FromMinutes(10);

    /// <summary>
    /// A destination's (scheme, host, port) share of the node's sends: alone it may use every slot, but while another
    /// destination waits to send it gets no slot beyond this many, and a destination below it starts at once even when
    /// borrowed slots fill the node. Null: half of <see cref="WorkerOptions.Concurrency"/>, so a receiver that never
    /// answers cannot keep a newcomer from half the node.
    /// </summary>
    public int? MaxConcurrentPerDestination { get; set; }

    /// <summary>
    /// Sends in flight one organization holds per node while another organization waits to send; alone it may use every
    /// slot. Null: half of <see cref="WorkerOptions.Concurrency"/>.
    /// </summary>
    public int? MaxConcurrentPerOrganization { get; set; }

    /// <summary>
    /// How long an organization with no send in flight waits for a full node before its sends start anyway, one at a
    /// time beyond the node's bound. Sends in flight cannot be taken back, so receivers that never answer, once several
    /// organizations' hold the node's slots and shares, would otherwise keep every other organization waiting for their
    /// attempt timeouts. Sends that end at a normal pace free a slot well within it. Zero: at once.
    /// </summary>
    public TimeSpan FullNodeWait { get; set; } = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan MaxFullNodeWait = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How many times a job's lease may run out without an outcome (its node stopped or crashed mid-attempt) before
    /// the claim that finds it ends the job as failed instead of handing it out again: no job can crash nodes forever.
    /// </summary>
    public int MaxLeaseExpiries { get; set; } = 3;

    /// <summary>The <c>Delivery:Breaker</c> section: when a destination that cannot be reached is left alone.</summary>
    public BreakerOptions Breaker { get; set; } = new();

    /// <summary>The <c>Delivery:AutoDisable</c> section: when a config that keeps failing is turned off.</summary>
    public AutoDisableOptions AutoDisable { get; set; } = new();

    public DeliveryOptions Validated()
    {
        if (MaxLeaseExpiries < 1)
        {
            throw new InvalidSettingException($"{Section}:MaxLeaseExpiries must be at least 1 (got {MaxLeaseExpiries})");
        }
        if (LeaseMargin < MinLeaseMargin || LeaseMargin > MaxLeaseMargin)
        {
            throw new InvalidSettingException($"{Section}:LeaseMargin must be between {MinLeaseMargin:c} and {MaxLeaseMargin:c} (got {LeaseMargin:c})");
        }
        if (FullNodeWait < TimeSpan.Zero || FullNodeWait > MaxFullNodeWait)
        {
            throw new InvalidSettingException($"{Section}:FullNodeWait must be between 00:00:00 and {MaxFullNodeWait:c} (got {FullNodeWait:c})");
        }
        Breaker.Validate();
        AutoDisable.Validate();
        return this;
    }

    /// <summary>The lease a job gets: never shorter than an attempt may take plus <see cref="LeaseMargin"/>.</summary>
    public TimeSpan EffectiveLease(EgressOptions egress) =>
        LeaseDuration > egress.AttemptTimeout + LeaseMargin ? LeaseDuration : egress.AttemptTimeout + LeaseMargin;
}

/// <summary>The <c>Workers</c> section: the background delivery workers of this node.</summary>
public sealed class WorkerOptions
{
    public const string Section = "Workers";

    /// <summary>Attempts in flight at once on this node.</summary>
    public int Concurrency { get; set; } = 32;

    /// <summary>
    /// Attempts this node holds at once, from the start of a send (or the end of an attempt that sent nothing) until its
    /// outcome is committed. Outcomes are written in group commits of up to 256; when they are written slower than
    /// attempts end, a new send waits for room here, so the outcomes waiting to be written, and the memory they hold,
    /// stay bounded. Jobs waiting for their turn hold no room, and a node's sends are at most twice
    /// <see cref="Concurrency"/>: above that, no receiver that never answers can fill it.
    /// </summary>
    public int MaxJobsHeld { get; set; } = 1024;

    /// <summary>
    /// How long an async trigger may wait for room on its node (see <see cref="WaitingJobs"/>) before its job is written
    /// to the queue instead of handed over. It waits only while the jobs ahead of it start their sends at a pace that
    /// frees a place within this time, which is the case when the node's CPU, not a receiver, is what they wait for;
    /// zero turns the wait off.
    /// </summary>
    public TimeSpan HandOverWait { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// The estimated memory the inputs of the handed-over jobs waiting on this node may hold together (see
    /// <see cref="WaitingJobs.SizeOf"/>); beyond it a trigger's job goes to the queue, and its input is read back when
    /// a claim takes it. One job larger than this alone is still handed over when nothing else waits.
    /// </summary>
    public long HandOverMaxBytes { get; set; } = DefaultHandOverMaxBytes;

    /// <summary>64 MiB: the default of <see cref="HandOverMaxBytes"/>.</summary>
    public const long DefaultHandOverMaxBytes = 64L * 1024 * 1024;

    /// <summary>The fallback poll when no wake-up arrives (a missed wake-up costs at most this long).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The most organizations with waiting jobs one claim visits (<see cref="ClaimRoom.WalkSteps"/>): the next claim
    /// goes on after the last it visited, and a claim that found less than its room goes on at once until it has been
    /// round them all. So a claim's cost stays bounded however many organizations have jobs waiting (scheduled retries,
    /// say), and each of them still gets its turn.
    /// </summary>
    public int OrganizationsPerClaim { get; set; } = 256;

    /// <summary>The highest <see cref="OrganizationsPerClaim"/>.</summary>
    public const int MaxOrganizationsPerClaim = 1_000_000;

    /// <summary>How long a stopping node lets attempts in flight finish before it gives their jobs back.</summary>
    public TimeSpan ShutdownGrace { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>The longest <see cref="HandOverWait"/>: a trigger's answer never waits longer for room.</summary>
    public static readonly TimeSpan MaxHandOverWait = TimeSpan.FromSeconds(10);

    /// <summary>These settings, or an error naming the one out of range.</summary>
    public WorkerOptions Validated()
    {
        if (HandOverWait < TimeSpan.Zero || HandOverWait > MaxHandOverWait)
        {
            throw new InvalidSettingException($"{Section}:HandOverWait must be between 00:00:00 (no wait) and {MaxHandOverWait:c} (got {HandOverWait:c})");
        }
        if (OrganizationsPerClaim < 1 || OrganizationsPerClaim > MaxOrganizationsPerClaim)
        {
            throw new InvalidSettingException($"{Section}:OrganizationsPerClaim must be between 1 and {MaxOrganizationsPerClaim} (got {OrganizationsPerClaim})");
        }
        return HandOverMaxBytes >= 0 ? this
            : throw new InvalidSettingException($"{Section}:HandOverMaxBytes must be zero (one job at a time) or more (got {HandOverMaxBytes})");
    }
}
