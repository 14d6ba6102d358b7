namespace Cllama.Ledger;

public static class Money
{
    /// <summary>Drops trailing zeros (0.0022490 → 0.002249) so JSON shows the value, not the arithmetic's scale.</summary>
    public static decimal Normalize(decimal value) => value / 1.000000000000000000000000000000000m;
}
