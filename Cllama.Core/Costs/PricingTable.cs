namespace Cllama.Costs;

/// <summary>
/// Model prices keyed <c>provider/model</c>: the built-in table, optionally overridden and extended by the operator's
/// <c>pricing.json</c>. Immutable once built, so it can be shared by every request.
/// </summary>
public sealed class PricingTable
{
    const string Wildcard = "*";
    const int StackKeyChars = 256;

    // A null price is a known-unpriced model: it stops a shorter key (o4-mini for o4-mini-deep-research) from
    // pricing a different product.
    readonly Dictionary<string, ModelPrice?> _prices;
    readonly Dictionary<string, ModelPrice?>.AlternateLookup<ReadOnlySpan<char>> _bySpan;

    PricingTable(Dictionary<string, ModelPrice?> prices)
    {
        _prices = prices;
        _bySpan = prices.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public int Count => _prices.Count;

    public static PricingTable BuiltIn() => new(BuiltInPrices.Create());

    /// <summary>
    /// The built-in table with <c><paramref name="authDir"/>/pricing.json</c> applied on top; a missing file is
    /// fine, an unreadable or invalid one is a <see cref="App.StartupException"/> naming the file and the problem.
    /// </summary>
    public static PricingTable Load(string authDir)
    {
        var prices = BuiltInPrices.Create();
        PricingFile.Apply(Path.Combine(authDir, "pricing.json"), prices);
        return new(prices);
    }

    /// <summary>
    /// The price of <paramref name="model"/> at <paramref name="provider"/>, or null when unpriced. Tries the exact
    /// key, then the longest key that is a prefix of the model ending at a boundary (<c>- @ : . /</c>), then the
    /// provider's <c>*</c> entry. An OpenRouter model <c>vendor/name</c> may also be found as <c>vendor/name</c>
    /// directly, whichever key matches more of the name.
    /// </summary>
    public ModelPrice? Lookup(string provider, string model)
    {
        bool found = TryFind(provider, model, out var price, out int unmatched);
        int slash = model.IndexOf('/');
        if (slash > 0 && provider.Equals("openrouter", StringComparison.OrdinalIgnoreCase)
            && TryFind(model.AsSpan(0, slash), model.AsSpan(slash + 1), out var direct, out int directUnmatched)
            && (!found || directUnmatched < unmatched))
            return direct;
        return found ? price : null;
    }

    /// <summary><paramref name="unmatched"/> counts the model characters the key left out (0 = exact).</summary>
    bool TryFind(ReadOnlySpan<char> provider, ReadOnlySpan<char> model, out ModelPrice? price, out int unmatched)
    {
        int length = provider.Length + 1 + model.Length;
        Span<char> key = length <= StackKeyChars ? stackalloc char[StackKeyChars] : new char[length];
        provider.CopyTo(key);
        key[provider.Length] = '/';
        model.CopyTo(key[(provider.Length + 1)..]);
        for (int end = model.Length; end > 0; end--)
        {
            if (end < model.Length && !IsBoundary(model[end]))
                continue;
            if (_bySpan.TryGetValue(key[..(provider.Length + 1 + end)], out price))
            {
                unmatched = model.Length - end;
                return true;
            }
        }
        Wildcard.CopyTo(key[(provider.Length + 1)..]);
        unmatched = model.Length + 1;
        return _bySpan.TryGetValue(key[..(provider.Length + 1 + Wildcard.Length)], out price);
    }

    static bool IsBoundary(char c) => c is '-' or '@' or ':' or '.' or '/';
}
