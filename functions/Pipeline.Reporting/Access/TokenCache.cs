using System.Collections.Concurrent;

namespace Pipeline.Reporting.Access;

/// <summary>
/// What <see cref="TokenStore"/> last read for a token id: the token (with its hash), or that there is none.
/// An entry read before a revocation never replaces what the revocation wrote: a lookup stores its result only
/// if the entry it saw before its read is still there (compare and swap), and a revocation always replaces it.
/// Entries are bounded in number, so junk ids cannot grow the cache without limit.
/// </summary>
public sealed class TokenCache
{
    /// <summary>At most this many ids are remembered; beyond it, expired ones are swept and new unknown ids are not kept.</summary>
    public const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<string, Entry> entries = new(StringComparer.Ordinal);

    public int Count => entries.Count;

    /// <summary>The entry for an id, if there is one; <paramref name="entry"/> is the value to hand back to <see cref="Remember"/>.</summary>
    public bool TryGetFresh(string id, DateTimeOffset now, out Entry? entry)
    {
        entries.TryGetValue(id, out entry);
        return entry is not null && entry.Expires > now;
    }

    /// <summary>Keeps <paramref name="fresh"/> unless the entry changed since <paramref name="seen"/> was read (a revocation came in between).</summary>
    public void Remember(string id, Entry? seen, Entry fresh, DateTimeOffset now)
    {
        if (seen is null && entries.Count >= MaxEntries)
        {
            foreach (var (key, old) in entries)
            {
                if (old.Expires <= now)
                {
                    entries.TryRemove(new KeyValuePair<string, Entry>(key, old));
                }
            }

            if (entries.Count >= MaxEntries)
            {
                return;
            }
        }

        _ = seen is null ? entries.TryAdd(id, fresh) : entries.TryUpdate(id, fresh, seen);
    }

    /// <summary>The token is gone: whatever a lookup in flight read before, it will not be remembered.</summary>
    public void Revoked(string id, DateTimeOffset until) => entries[id] = Entry.None(until);

    /// <summary>A token (its caller and hash), or none (<see cref="Caller"/> null). A class: entries compare by reference.</summary>
    public sealed class Entry(Caller? caller, byte[]? hash, DateTimeOffset expires)
    {
        public Caller? Caller { get; } = caller;

        public byte[]? Hash { get; } = hash;

        public DateTimeOffset Expires { get; } = expires;

        public static Entry None(DateTimeOffset until) => new(null, null, until);
    }
}
