using System.Diagnostics.CodeAnalysis;

namespace Cllama.Providers;

/// <summary>
/// The outcome of <see cref="ProviderRegistry.Upsert"/>: the provider as it now resolves, or a validation error
/// meant for the operator (the dashboard answers it with 400).
/// </summary>
public sealed record ProviderChange(Provider? Provider, string? Error, bool Created)
{
    [MemberNotNullWhen(true, nameof(Provider))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Ok => Error is null;

    internal static ProviderChange Invalid(string error) => new(null, error, false);
}
