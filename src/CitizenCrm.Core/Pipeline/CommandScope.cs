namespace CitizenCrm.Core.Pipeline;

/// <summary>
/// Names the command being run so each timeline event it appends gets a stable dedup key:
/// the command's key plus an ordinal. With a client Idempotency-Key the key is the same on a retry,
/// so even a retry that slipped past the idempotency table could not append twice.
/// </summary>
public sealed class CommandScope
{
    private int _ordinal;
    public string Key { get; private set; } = "cmd:" + Guid.NewGuid().ToString("N");

    public void Start(string key)
    {
        Key = key;
        _ordinal = 0;
    }

    public string NextDedupKey() => $"{Key}:{++_ordinal}";
}
