// Shared helpers for the dashboard pages. No framework, no inline script (the CSP forbids it), and every
// value from the server goes into the page as text, never as HTML.
'use strict';

const Dash = (() => {
  const csrf = document.querySelector('meta[name="csrf"]').content;

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'text') node.textContent = v;
      else node.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children) if (c !== null && c !== undefined) node.append(c);
    return node;
  }

  const usd = (n, digits) => '$' + Number(n).toFixed(digits);
  // Cents hide what LLM calls cost: below a dollar show four decimals, below a cent two significant digits.
  function money(n) {
    if (n === null || n === undefined) return '–';
    const v = Number(n);
    if (v === 0) return '$0.00';
    if (Math.abs(v) >= 1) return usd(v, 2);
    if (Math.abs(v) >= 0.01) return usd(v, 4);
    return '$' + v.toPrecision(2);
  }
  const count = n => Number(n || 0).toLocaleString('en-US');

  async function getJson(path) {
    const r = await fetch(path, { cache: 'no-store', credentials: 'same-origin', headers: { Accept: 'application/json' } });
    if (r.status === 401) { location.assign('/login'); throw new Error('logged out'); }
    if (!r.ok) throw new Error(path + ': HTTP ' + r.status);
    return r.json();
  }

  // Refreshes every few seconds while the tab is visible; the status line says how fresh the page is.
  function poll(path, render, everyMs = 3000) {
    const status = document.getElementById('status');
    let timer = null;
    async function tick() {
      clearTimeout(timer);
      try {
        render(await getJson(path));
        status.textContent = 'updated ' + new Date().toLocaleTimeString([], { hour12: false });
        status.classList.remove('stale');
      } catch (e) {
        status.textContent = 'not updating: ' + e.message;
        status.classList.add('stale');
      }
      if (!document.hidden) timer = setTimeout(tick, everyMs);
    }
    document.addEventListener('visibilitychange', () => { if (!document.hidden) tick(); });
    tick();
    return tick;
  }

  // Each cell gets its column's header as data-label, which the phone layout shows beside the value.
  function fillTable(tbody, rows, emptyNote) {
    const labels = [...tbody.closest('table').querySelectorAll('thead th')].map(th => th.textContent);
    for (const row of rows) [...row.cells].forEach((td, i) => td.setAttribute('data-label', labels[i] || ''));
    tbody.replaceChildren(...rows);
    if (emptyNote) emptyNote.hidden = rows.length > 0;
  }

  return { csrf, el, money, count, getJson, poll, fillTable };
})();
