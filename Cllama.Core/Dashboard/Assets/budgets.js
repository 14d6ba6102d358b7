// Budget bars on the Pod and Costs pages: each agent's spend (and what its requests in flight hold) as a share of
// its limit, from /budgets/api. The panel stays hidden while no agent has a budget.
'use strict';

(() => {
  const { money, poll } = Dash;
  const panel = document.getElementById('budgets');

  function text(b) {
    const held = b.reserved_usd > 0 ? ` (+${money(b.reserved_usd)} in flight)` : '';
    return `${money(b.spent_usd)}${held} of ${money(b.limit_usd)} · ${b.window}`;
  }

  poll('/budgets/api', data => {
    panel.hidden = data.agents.length === 0;
    // Bars are shares of each agent's own limit; near or at the limit they take the warning colours.
    const rows = data.agents.map(b => {
      const used = b.limit_usd > 0 ? (b.spent_usd + b.reserved_usd) / b.limit_usd : 1;
      return { label: b.id, value: Math.max(used, 0.0001), text: text(b), colour: used >= 1 ? 3 : used >= 0.8 ? 1 : 0 };
    });
    Charts.bars(document.getElementById('chart-budgets'), rows, { title: 'Budget used per agent', max: 1, empty: 'No budgets set.' });
  }, 5000);
})();
