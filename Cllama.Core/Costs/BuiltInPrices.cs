namespace Cllama.Costs;

/// <summary>
/// The built-in price table, USD per million tokens. List prices come from the project's price sheet
/// (prices.md: public price lists and an open-source price table, checked 2026-08) unless a row says otherwise;
/// operators correct or extend any row in pricing.json.
/// </summary>
internal static class BuiltInPrices
{
    const string PriceSheet = "prices.md, checked 2026-08";
    const string OpenAIPage = "openai.com/api/pricing as of 2025-06 (not in prices.md)";
    const string AnthropicPage = "anthropic.com/pricing as of 2025-11 (not in prices.md)";
    const string OpenRouterSheet = "prices.md, checked 2026-08 (OpenRouter usually reports usage.cost itself)";

    static readonly LongContextRule Gpt56LongContext = new(272_000, 2m, 1.5m);
    // Gemini 2.5 Pro's >200k-token tier is $2.50 in / $15.00 out: ×2 and ×1.5 of the ≤200k tier.
    static readonly LongContextRule Gemini25ProLongContext = new(200_000, 2m, 1.5m);

    public static Dictionary<string, ModelPrice?> Create()
    {
        var t = new Dictionary<string, ModelPrice?>(StringComparer.OrdinalIgnoreCase);

        // Anthropic: cache reads 0.1× input, cache writes (5-minute TTL) 1.25× input, as Anthropic publishes.
        Anthropic(t, "claude-opus-5", 5m, 25m);
        Anthropic(t, "claude-sonnet-5", 3m, 15m);
        Anthropic(t, "claude-fable-5", 10m, 50m);
        Anthropic(t, "claude-opus-4-6", 15m, 75m);
        // Opus 4.5 launched at a third of Opus 4's price; without its own row it would be priced as claude-opus-4.
        Anthropic(t, "claude-opus-4-5", 5m, 25m, AnthropicPage);
        Anthropic(t, "claude-opus-4", 15m, 75m);
        Anthropic(t, "claude-sonnet-4-6", 3m, 15m);
        Anthropic(t, "claude-sonnet-4", 3m, 15m);
        Anthropic(t, "claude-haiku-4-5", 1m, 5m);
        Anthropic(t, "claude-3-5-haiku", 0.80m, 4m);
        Anthropic(t, "claude-haiku-3-5", 0.80m, 4m);

        // OpenAI: cached input at OpenAI's published rates (0.1× for GPT-5.x, 0.25× for GPT-4.1, 0.5× for
        // GPT-4o, o3, o4-mini); OpenAI charges nothing extra for cache writes, so those stay at the input rate.
        foreach (var m in new[] { "gpt-5.6", "gpt-5.6-sol" })
            OpenAI(t, m, 5m, 30m, 0.50m, Gpt56LongContext);
        OpenAI(t, "gpt-5.6-terra", 2m, 12m, 0.20m, Gpt56LongContext);
        OpenAI(t, "gpt-5.6-luna", 0.20m, 1.20m, 0.02m, Gpt56LongContext);
        OpenAI(t, "gpt-5-pro", 15m, 120m, null);
        OpenAI(t, "gpt-4.1", 2m, 8m, 0.50m);
        OpenAI(t, "gpt-4.1-mini", 0.40m, 1.60m, 0.10m);
        OpenAI(t, "gpt-4.1-nano", 0.10m, 0.40m, 0.025m);
        OpenAI(t, "gpt-4o", 2.50m, 10m, 1.25m);
        // The first GPT-4o snapshot kept its launch price.
        OpenAI(t, "gpt-4o-2024-05-13", 5m, 15m, null, source: OpenAIPage);
        OpenAI(t, "gpt-4o-mini", 0.15m, 0.60m, 0.075m);
        OpenAI(t, "o3", 2m, 8m, 0.50m);
        OpenAI(t, "o4-mini", 1.10m, 4.40m, 0.275m);
        // Different products from o3, which the boundary rule would otherwise price them as.
        OpenAI(t, "o3-pro", 20m, 80m, null, source: OpenAIPage);
        OpenAI(t, "o3-mini", 1.10m, 4.40m, 0.55m, source: OpenAIPage);
        // Priced differently from the model their name starts with (audio, realtime, research, pro tiers) and not
        // in the price sheet: unpriced rather than wrong.
        Unpriced(t, "openai", "gpt-5.6-pro", "o3-deep-research", "o4-mini-deep-research", "gpt-4o-realtime",
            "gpt-4o-mini-realtime", "gpt-4o-audio", "gpt-4o-mini-audio", "gpt-4o-transcribe", "gpt-4o-mini-transcribe",
            "gpt-4o-mini-tts");

        OpenRouter(t, "anthropic/claude-sonnet-4", 3m, 15m, 0.30m, 3.75m);
        OpenRouter(t, "anthropic/claude-haiku-4.5", 1m, 5m, 0.10m, 1.25m);
        OpenRouter(t, "google/gemini-2.5-pro", 1.25m, 10m, 0.125m, null, Gemini25ProLongContext);
        OpenRouter(t, "google/gemini-2.5-flash", 0.30m, 2.50m, 0.03m, null);
        Unpriced(t, "openrouter", "google/gemini-2.5-flash-lite", "google/gemini-2.5-flash-image");

        // Google: context-cache reads at 0.1× input for Gemini 2.5 (ai.google.dev/pricing as of 2025-10); cache
        // storage is billed per hour, not per write, so writes stay at the input rate. Registered under "gemini"
        // too, the other name operators give this provider.
        foreach (var provider in new[] { "google", "gemini" })
        {
            t[provider + "/gemini-3.6-flash"] = new(1.50m, 7.50m, null, null, PriceSheet + " (≤200k-token tier)");
            t[provider + "/gemini-2.5-pro"] = new(1.25m, 10m, 0.125m, null, PriceSheet + " (≤200k-token tier)")
                { LongContext = Gemini25ProLongContext };
            t[provider + "/gemini-2.5-flash"] = new(0.30m, 2.50m, 0.03m, null, PriceSheet);
            Unpriced(t, provider, "gemini-3.6-flash-lite", "gemini-2.5-flash-lite", "gemini-2.5-flash-image",
                "gemini-2.5-flash-native-audio", "gemini-2.5-flash-preview-tts", "gemini-2.5-pro-preview-tts");
        }

        // Local models cost nothing: priced at an explicit 0, which is not the same as unpriced.
        t["ollama/*"] = new(0m, 0m, 0m, 0m, "ollama local");
        return t;
    }

    static void Anthropic(Dictionary<string, ModelPrice?> t, string model, decimal input, decimal output,
        string source = PriceSheet) =>
        t["anthropic/" + model] = new(input, output, input * 0.1m, input * 1.25m, source);

    static void OpenAI(Dictionary<string, ModelPrice?> t, string model, decimal input, decimal output,
        decimal? cachedInput, LongContextRule? longContext = null, string source = PriceSheet) =>
        t["openai/" + model] = new(input, output, cachedInput, null, source) { LongContext = longContext };

    static void OpenRouter(Dictionary<string, ModelPrice?> t, string model, decimal input, decimal output,
        decimal? cacheRead, decimal? cacheWrite, LongContextRule? longContext = null) =>
        t["openrouter/" + model] = new(input, output, cacheRead, cacheWrite, OpenRouterSheet) { LongContext = longContext };

    static void Unpriced(Dictionary<string, ModelPrice?> t, string provider, params string[] models)
    {
        foreach (var model in models)
            t[provider + "/" + model] = null;
    }
}
