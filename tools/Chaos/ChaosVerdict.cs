namespace OrleansChat.Chaos;

/// <summary>Recovery of the clients after one fault, in seconds from <see cref="FaultRecord.ClearedAt"/> (null = not within its window).</summary>
public sealed record FaultOutcome(
    FaultRecord Fault,
    double? FirstAckS,
    double? AllSendersAckedS,
    double? FirstLiveDeliveryS,
    double? AllReceiversLiveS,
    int AcksDuringWindow,
    IReadOnlyDictionary<string, int> ErrorsDuringOutage,
    int ReconnectsDuringWindow,
    double? LongestStallS,
    SendStall? LongestStall = null);

/// <summary>Which thread went longest without an ack, and when (seconds from the injection) its stall began.</summary>
public sealed record SendStall(int Thread, double BeganS);

/// <summary>The comparison of what senders were promised, what PostgreSQL holds and what receivers ended up with.</summary>
public sealed class ChaosVerdict
{
    public int Acknowledged { get; init; }

    public int Stored { get; init; }

    /// <summary>Acknowledged, but no stored row has that id, seq and client_message_id.</summary>
    public List<string> AckedButMissing { get; } = [];

    /// <summary>Stored rows sharing a (thread, seq), or one client_message_id stored twice in a thread.</summary>
    public int DuplicateSeqs { get; set; }

    public int DuplicateClientIds { get; set; }

    /// <summary>Seqs between 1 and a thread's highest seq that no row has.</summary>
    public int SeqGaps { get; set; }

    /// <summary>Stored messages a receiver still lacked after its final catch-up.</summary>
    public int ReceiverMissing { get; set; }

    /// <summary>A receiver got a seq with a different message than the stored one.</summary>
    public int ReceiverConflicts { get; set; }

    public int ReceivedLive { get; set; }

    public int ReceivedByCatchUp { get; set; }

    public int Redelivered { get; set; }

    public int SenderReconnects { get; set; }

    public int ReceiverReconnects { get; set; }

    public int SendRetries { get; set; }

    public List<FaultOutcome> Faults { get; } = [];

    public bool Unrecovered => Faults.Any(f => f.AllSendersAckedS is null || f.AllReceiversLiveS is null || f.Fault.InjectError is not null || f.Fault.HealError is not null);

    public bool Passed => AckedButMissing.Count == 0 && DuplicateSeqs == 0 && DuplicateClientIds == 0 && ReceiverMissing == 0 && ReceiverConflicts == 0 && !Unrecovered;
}
