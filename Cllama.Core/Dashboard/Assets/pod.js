// Pod page: agents, their use and a requests chart, refreshed from /pod/api.
'use strict';

(() => {
  const { el, money, count, poll, fillTable } = Dash;
  const tbody = document.querySelector('#agents tbody');

  function row(a) {
    const models = a.models.length
      ? el('div', { class: 'chips' }, ...a.models.map(m => el('span', { class: 'chip', text: m })))
      : el('span', { class: 'muted', text: 'none yet' });
    return el('tr', { 'data-agent': a.id },
      el('td', {}, el('code', { text: a.id }), a.registered ? null : el('span', { class: 'muted', text: ' (removed)' })),
      el('td', { text: a.type || '–' }),
      el('td', { class: 'hide-narrow', text: a.service || '–' }),
      el('td', { class: 'num', text: count(a.requests) }),
      el('td', { class: 'num', text: money(a.cost_usd) }),
      el('td', {}, models));
  }

  poll('/pod/api', data => {
    document.getElementById('pod-name').textContent = data.pod ? '· ' + data.pod : '';
    document.getElementById('s-agents').textContent = count(data.agents.length);
    document.getElementById('s-requests').textContent = count(data.total_requests);
    document.getElementById('s-cost').textContent = money(data.total_cost_usd);
    fillTable(tbody, data.agents.map(row), document.getElementById('agents-empty'));
    const bars = data.agents.filter(a => a.requests > 0)
      .sort((a, b) => b.requests - a.requests)
      .map((a, i) => ({ label: a.id, value: a.requests, text: count(a.requests), colour: i }));
    Charts.bars(document.getElementById('chart-requests'), bars, { title: 'Requests per agent', empty: 'No requests yet.' });
  });
})();
