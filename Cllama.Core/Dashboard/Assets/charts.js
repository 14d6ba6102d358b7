// Horizontal bar charts in SVG, sized to their container so text stays crisp on a phone and a laptop alike.
'use strict';

const Charts = (() => {
  const NS = 'http://www.w3.org/2000/svg';
  const svg = (tag, attrs) => {
    const n = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs || {})) n.setAttribute(k, String(v));
    return n;
  };
  const drawn = new Map();

  // rows: [{ label, value, text, colour (0..7) }]; the longest bar spans the plot width.
  function bars(container, rows, opts = {}) {
    drawn.set(container, [rows, opts]);
    const width = Math.max(260, container.clientWidth || 320);
    if (!rows.length) {
      container.replaceChildren(Object.assign(document.createElement('p'), { className: 'empty', textContent: opts.empty || 'Nothing yet.' }));
      return;
    }
    const barH = 18, gap = 12, labelW = Math.min(190, Math.round(width * 0.38)), valueW = 74;
    const plotW = Math.max(40, width - labelW - valueW - 12);
    // opts.max fixes the scale (a budget bar is a share of its limit); otherwise the longest bar spans the plot.
    const max = opts.max || Math.max(...rows.map(r => r.value), 0) || 1;
    const height = rows.length * (barH + gap) - gap + 4;
    const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', 'aria-label': opts.title || 'chart' });
    rows.forEach((r, i) => {
      const y = i * (barH + gap) + 2;
      const g = svg('g', { class: 'bar' });
      const label = svg('text', { x: 0, y: y + barH / 2, 'dominant-baseline': 'central' });
      label.textContent = fit(r.label, labelW - 8);
      const title = svg('title');
      title.textContent = `${r.label}: ${r.text}`;
      g.append(title, label);
      g.append(svg('rect', { class: 'track', x: labelW, y, width: plotW, height: barH, rx: 4 }));
      const w = r.value > 0 ? Math.max(2, Math.min(1, r.value / max) * plotW) : 0;
      g.append(svg('rect', { class: 'fill-' + ((r.colour ?? i) % 8), x: labelW, y, width: w.toFixed(1), height: barH, rx: 4 }));
      const value = svg('text', { class: 'value', x: width, y: y + barH / 2, 'text-anchor': 'end', 'dominant-baseline': 'central' });
      value.textContent = r.text;
      g.append(value);
      root.append(g);
    });
    container.replaceChildren(root);
    if (opts.legend) container.append(legend(opts.legend));
  }

  function legend(items) {
    const box = document.createElement('div');
    box.className = 'legend';
    for (const [name, colour] of items) {
      const item = document.createElement('span');
      const sw = document.createElement('span');
      sw.className = 'swatch fill-' + (colour % 8);
      item.append(sw, name);
      box.append(item);
    }
    return box;
  }

  // About 7 px per character at 12 px: cut long labels with an ellipsis rather than overlapping the bars.
  function fit(text, px) {
    const max = Math.max(4, Math.floor(px / 7));
    return text.length <= max ? text : text.slice(0, max - 1) + '…';
  }

  let resizeTimer = null;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => drawn.forEach(([rows, opts], c) => bars(c, rows, opts)), 120);
  });

  return { bars };
})();
