namespace Cllama.Ledger;

/// <summary>Sums over a slice of the ledger: one model, one agent, one minute, one month, or everything.</summary>
struct Totals
{
    public long Requests, UnpricedRequests, InputTokens, OutputTokens, CachedTokens;
    public decimal CostUsd;

    public void Add(in LedgerEntry e)
    {
        Requests++;
        InputTokens += e.TokensIn;
        OutputTokens += e.TokensOut;
        CachedTokens += e.CachedTokens;
        if (e.CostUsd is decimal cost)
            CostUsd += cost;
        else
            UnpricedRequests++;
    }

    public void Add(in Totals t)
    {
        Requests += t.Requests;
        UnpricedRequests += t.UnpricedRequests;
        InputTokens += t.InputTokens;
        OutputTokens += t.OutputTokens;
        CachedTokens += t.CachedTokens;
        CostUsd += t.CostUsd;
    }

    public void Write(ByteWriter w)
    {
        w.WriteVarint((ulong)Requests);
        w.WriteVarint((ulong)UnpricedRequests);
        w.WriteSigned(InputTokens);
        w.WriteSigned(OutputTokens);
        w.WriteSigned(CachedTokens);
        w.WriteDecimal(CostUsd);
    }

    public static Totals Read(ref ByteReader r) => new()
    {
        Requests = (long)r.ReadVarint(),
        UnpricedRequests = (long)r.ReadVarint(),
        InputTokens = r.ReadSigned(),
        OutputTokens = r.ReadSigned(),
        CachedTokens = r.ReadSigned(),
        CostUsd = r.ReadDecimal(),
    };
}
