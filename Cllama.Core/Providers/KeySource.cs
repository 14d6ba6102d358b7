namespace Cllama.Providers;

/// <summary>Where a provider's key came from; the dashboard shows it, and only File keys are ever saved.</summary>
public enum KeySource
{
    None,
    File,
    Environment,
}
