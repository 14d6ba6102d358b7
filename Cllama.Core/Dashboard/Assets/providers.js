// Providers page: the table and the routing example follow /providers/api; changes go through the plain
// HTML form (POST /providers, CSRF token and same-origin checked by the server).
'use strict';

(() => {
  const { el, csrf, poll, fillTable } = Dash;
  const tbody = document.querySelector('#providers tbody');
  const empty = document.getElementById('providers-empty');
  const form = document.getElementById('editor');
  const sampleModels = { openai: 'gpt-4o', anthropic: 'claude-sonnet-4', openrouter: 'anthropic/claude-sonnet-4', ollama: 'llama3.2' };

  function keyCell(p) {
    const masked = p.api_key ? el('span', { class: 'mono key', text: p.api_key }) : el('span', { class: 'muted', text: 'no key' });
    const source = { environment: 'from env', file: 'saved', none: 'none' }[p.key_source] || p.key_source;
    return el('td', {}, el('span', {}, masked, ' ', el('span', { class: 'badge ' + p.key_source, title: 'key source: ' + p.key_source, text: source })));
  }

  function deleteForm(name) {
    return el('form', { method: 'post', action: '/providers', class: 'delete' },
      el('input', { type: 'hidden', name: 'csrf', value: csrf }),
      el('input', { type: 'hidden', name: 'action', value: 'delete' }),
      el('input', { type: 'hidden', name: 'name', value: name }),
      el('button', { type: 'submit', class: 'small danger', 'aria-label': 'Delete ' + name, text: 'Delete' }));
  }

  function edit(p) {
    form.elements.name.value = p.name;
    form.elements.base_url.value = p.base_url;
    form.elements.api_key.value = '';
    form.elements.auth.value = p.auth;
    form.elements.api_format.value = p.api_format;
    form.scrollIntoView({ behavior: 'smooth', block: 'start' });
    form.elements.api_key.focus();
  }

  function row(p) {
    const editButton = el('button', { type: 'button', class: 'small ghost', text: 'Edit' });
    editButton.addEventListener('click', () => edit(p));
    return el('tr', { 'data-provider': p.name },
      el('td', {}, el('code', { text: p.name })),
      el('td', { class: 'mono wrap', text: p.base_url }),
      el('td', { text: p.auth }),
      el('td', { class: 'hide-narrow', text: p.api_format }),
      keyCell(p),
      el('td', {}, el('div', { class: 'actions' }, editButton, deleteForm(p.name))));
  }

  function example(providers) {
    const p = providers.find(x => x.name === 'openrouter') || providers[0];
    if (!p) return;
    const model = sampleModels[p.name] || (p.api_format === 'anthropic' ? 'claude-sonnet-4' : 'gpt-4o');
    for (const id of ['ex-provider', 'ex-provider2']) document.getElementById(id).textContent = p.name;
    for (const id of ['ex-model', 'ex-model2']) document.getElementById(id).textContent = model;
    const path = p.api_format === 'anthropic' ? '/messages' : '/chat/completions';
    document.getElementById('ex-url').textContent = p.base_url.replace(/\/+$/, '') + path;
    document.getElementById('ex-auth').textContent =
      p.auth === 'none' ? 'none (no key sent)' : `${p.auth}, key ${p.api_key || '(missing)'}`;
  }

  poll('/providers/api', data => {
    fillTable(tbody, data.providers.map(row), empty);
    example(data.providers);
  }, 5000);
})();
