// Costs page: the total banner, spend charts per agent and per model, and the nested breakdown, from /costs/api.
'use strict';

(() => {
  const { el, money, count, poll, fillTable } = Dash;
  const tbody = document.querySelector('#costs tbody');

  // Unpriced requests are not $0: say how many there are, under whatever was priced.
  function costCell(cost, requests, unpriced) {
    if (unpriced === 0) return el('td', { class: 'num', text: money(cost) });
    const note = el('span', { class: 'unpriced', text: `${count(unpriced)} unpriced` });
    return unpriced === requests ? el('td', { class: 'num' }, note) : el('td', { class: 'num' }, money(cost), note);
  }

  function rows(agents) {
    const out = [];
    for (const [id, a] of agents) {
      let inTok = 0, outTok = 0, cached = 0;
      for (const m of a.models) { inTok += m.input_tokens; outTok += m.output_tokens; cached += m.cached_tokens || 0; }
      out.push(el('tr', { class: 'agent', 'data-agent': id },
        el('td', {}, el('code', { text: id })),
        el('td', { class: 'num', text: count(a.total_requests) }),
        el('td', { class: 'num hide-narrow', text: count(inTok) }),
        el('td', { class: 'num hide-narrow', text: count(outTok) }),
        el('td', { class: 'num hide-narrow', text: count(cached) }),
        costCell(a.total_cost_usd, a.total_requests, a.unpriced_requests)));
      for (const m of a.models) {
        out.push(el('tr', { class: 'model', 'data-agent': id, 'data-model': `${m.provider}/${m.model}` },
          el('td', { class: 'mono wrap', text: `${m.provider}/${m.model}` }),
          el('td', { class: 'num', text: count(m.requests) }),
          el('td', { class: 'num hide-narrow', text: count(m.input_tokens) }),
          el('td', { class: 'num hide-narrow', text: count(m.output_tokens) }),
          el('td', { class: 'num hide-narrow', text: count(m.cached_tokens || 0) }),
          costCell(m.cost_usd, m.requests, m.unpriced_requests)));
      }
    }
    return out;
  }

  function modelBars(agents) {
    const byModel = new Map();
    const providers = [];
    for (const [, a] of agents) {
      for (const m of a.models) {
        const key = `${m.provider}/${m.model}`;
        if (!providers.includes(m.provider)) providers.push(m.provider);
        const seen = byModel.get(key) || { provider: m.provider, cost: 0, unpriced: 0 };
        byModel.set(key, { provider: m.provider, cost: seen.cost + m.cost_usd, unpriced: seen.unpriced + m.unpriced_requests });
      }
    }
    const bars = [...byModel].sort((x, y) => y[1].cost - x[1].cost)
      .map(([key, v]) => ({ label: key, value: v.cost, text: v.cost === 0 && v.unpriced ? 'unpriced' : money(v.cost), colour: providers.indexOf(v.provider) }));
    return { bars, legend: providers.map((p, i) => [p, i]) };
  }

  poll('/costs/api', data => {
    document.getElementById('s-total').textContent = money(data.total_cost_usd);
    document.getElementById('s-requests').textContent = count(data.total_requests);
    document.getElementById('s-unpriced').textContent = count(data.unpriced_requests);
    const agents = Object.entries(data.agents).sort((x, y) => y[1].total_cost_usd - x[1].total_cost_usd);
    fillTable(tbody, rows(agents), document.getElementById('costs-empty'));
    Charts.bars(document.getElementById('chart-agents'),
      agents.map(([id, a], i) => ({ label: id, value: a.total_cost_usd, text: money(a.total_cost_usd), colour: i })),
      { title: 'Spend per agent', empty: 'No spend yet.' });
    const models = modelBars(agents);
    Charts.bars(document.getElementById('chart-models'), models.bars,
      { title: 'Spend per model', empty: 'No spend yet.', legend: models.legend });
  });
})();
