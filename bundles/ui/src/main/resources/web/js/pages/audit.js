// The audit trail for auditors: who did what to which patient's data and when, filtered by patient, actor, action
// and time, and whether the hash chain is intact (GET /api/audit/verification).
import { getJson } from '../api.js';
import {
  busy, clear, errorMessage, field, formatDate, h, message, selectField, setTitle, table,
} from '../dom.js';

const ACTIONS = ['CREATE', 'READ', 'UPDATE', 'DELETE', 'SEARCH', 'EXPORT', 'LOGIN', 'ACCESS_DENIED',
  'PLUGIN_INSTALLED', 'PLUGIN_UPDATED', 'PLUGIN_REMOVED', 'PLUGIN_REFUSED', 'ALGORITHM_RUN', 'MODEL_RUN',
  'KEY_ROTATED', 'KEY_REWRAPPED', 'CONFIGURATION_CHANGED'];

const OUTCOMES = { 0: 'success', 4: 'refused or failed', 8: 'serious failure', 12: 'major failure' };

function row(event) {
  const agent = (event.agent || [])[0] || {};
  const entities = event.entity || [];
  const patient = entities.map(e => (e.what || {}).reference).find(r => r && r.startsWith('Patient/'));
  const resource = entities.map(e => (e.what || {}).display).find(Boolean);
  const outcome = OUTCOMES[event.outcome] || event.outcome;
  return [
    event.id, formatDate(event.recorded), (agent.who || {}).display || '', ((agent.role || [])[0] || {}).text || '',
    ((event.subtype || [])[0] || {}).code || '',
    h('span', { class: `badge ${event.outcome === '0' ? 'ok' : 'bad'}` }, outcome),
    resource || '', patient ? patient.substring('Patient/'.length) : '', (agent.network || {}).address || '',
  ];
}

export async function render(main, { query }) {
  setTitle('Audit trail');
  const verification = h('div', { 'aria-live': 'polite' });
  const verifyButton = h('button', { type: 'button', class: 'secondary' }, 'Verify the chain now');
  const patient = field('Patient id', { name: 'patient', value: query.get('patient') || '', autocomplete: 'off' });
  const actor = field('Actor (user name)', { name: 'agent', value: query.get('agent') || '', autocomplete: 'off' });
  const action = selectField('Action', 'subtype', [['', 'Any action'], ...ACTIONS.map(a => [a, a.replace(/_/g, ' ').toLowerCase()])], query.get('subtype') || '');
  const from = field('From (UTC)', { name: 'from', type: 'datetime-local', value: query.get('from') || '' });
  const to = field('Before (UTC)', { name: 'to', type: 'datetime-local', value: query.get('to') || '' });
  const count = selectField('Show at most', '_count', ['50', '100', '500', '1000'], query.get('_count') || '100');
  const form = h('form', { class: 'card', role: 'search', 'aria-label': 'Filter the audit trail' },
    h('div', { class: 'fields' }, patient.element, actor.element, action.element, from.element, to.element, count.element),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Show entries'),
      h('button', { type: 'button', class: 'secondary', onclick: () => { window.location.hash = '#/audit'; } }, 'Clear filters')));
  form.addEventListener('submit', event => {
    event.preventDefault();
    const next = new URLSearchParams();
    [patient, actor, action, from, to, count].forEach(f => { if (f.input.value.trim()) { next.set(f.input.name, f.input.value.trim()); } });
    const target = `#/audit?${next}`;
    if (window.location.hash === target) {
      load();
    } else {
      window.location.hash = target;
    }
  });
  const results = h('section', { 'aria-labelledby': 'entries-heading' });
  clear(main, h('h1', {}, 'Audit trail'),
    h('section', { class: 'card', 'aria-labelledby': 'chain-heading' }, h('h2', { id: 'chain-heading' }, 'Integrity of the trail'),
      verification, h('div', { class: 'actions' }, verifyButton)),
    form, results);

  async function verify() {
    clear(verification, h('p', { class: 'muted' }, 'Checking every entry…'));
    try {
      const result = await busy('Verifying the audit chain', () => getJson('/api/audit/verification', { what: 'verify the audit trail' }), verifyButton);
      clear(verification, result.intact
        ? message('ok', `Intact: ${result.entriesChecked} entries verified (checked ${formatDate(result.checkedAt)} UTC in ${result.durationMillis} ms).`)
        : message('error', `Broken at entry ${result.firstBroken}: ${result.problem}. ${result.entriesChecked} entries were checked `
          + `(${formatDate(result.checkedAt)} UTC). The trail may have been tampered with: report this to the security officer.`));
    } catch (error) {
      clear(verification, errorMessage(error));
    }
  }
  verifyButton.addEventListener('click', verify);

  async function load() {
    const search = new URLSearchParams({ _count: query.get('_count') || '100' });
    ['patient', 'agent', 'subtype'].forEach(name => { if (query.get(name)) { search.set(name, query.get(name)); } });
    // datetime-local has no zone: the form says UTC, so the value is sent as UTC.
    const instant = local => `${local.length === 16 ? `${local}:00` : local}Z`;
    if (query.get('from')) { search.append('date', `ge${instant(query.get('from'))}`); }
    if (query.get('to')) { search.append('date', `lt${instant(query.get('to'))}`); }
    clear(results, h('h2', { id: 'entries-heading' }, 'Entries, newest first'));
    try {
      const bundle = await busy('Searching the audit trail', () => getJson(`/fhir/AuditEvent?${search}`, { what: 'read the audit trail' }));
      const events = (bundle.entry || []).map(e => e.resource);
      if (events.length === 0) {
        results.append(message('info', 'No entry matches these filters.'));
        return;
      }
      results.append(table(`${events.length} entries`, ['#', 'When (UTC)', 'Actor', 'Role', 'Action', 'Outcome', 'Resource', 'Patient', 'Address'],
        events.map(row), { numeric: [0] }));
    } catch (error) {
      results.append(errorMessage(error));
    }
  }
  await Promise.all([verify(), load()]);
}
