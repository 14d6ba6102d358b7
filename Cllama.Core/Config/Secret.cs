namespace Cllama.Config;

/// <summary>
/// A credential. It never prints itself: <see cref="ToString"/> masks, so a key interpolated into a log line or an
/// error message by accident shows at most its last four characters.
/// </summary>
public sealed class Secret(string value) : IEquatable<Secret>
{
    readonly string _value = value;

    /// <summary>The real value, for the one place that must send it (an upstream header, a file save).</summary>
    public string Reveal() => _value;

    public bool IsEmpty => _value.Length == 0;

    /// <summary>"…abcd" for keys long enough that four characters give nothing away, else "…".</summary>
    public string Masked => _value.Length >= 12 ? "…" + _value[^4..] : "…";

    public override string ToString() => Masked;

    public bool Equals(Secret? other) => other is not null && ConstantTime.Equals(_value, other._value);
    public override bool Equals(object? obj) => obj is Secret s && Equals(s);
    public override int GetHashCode() => 0;
}
