using Cllama.Agents;
using Cllama.Costs;
using Cllama.Governance;
using Cllama.Ledger;
using Cllama.Logging;
using Cllama.Providers;

namespace Cllama.Proxy;

/// <summary>The long-lived pieces a proxied request uses.</summary>
public sealed record ProxyServices(
    AgentRegistry Agents,
    ProviderRegistry Providers,
    PricingTable Pricing,
    UpstreamClient Upstream,
    CostLedger Ledger,
    RequestLog Log,
    Governor Governance);
