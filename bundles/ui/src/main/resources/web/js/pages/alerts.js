// Alerts for auditors: what the alert rules raised on every node (GET /api/alerts), open ones first, and
// acknowledging one with a note (POST /api/alerts/{id}/ack). The rules and their settings: README "Alerts".
import { getJson, postJson } from '../api.js';
import { busy, clear, errorMessage, field, formatDate, h, message, selectField, setTitle, table } from '../dom.js';

const RULES = {
  BULK_ACCESS: 'bulk access', BREAK_GLASS: 'break-glass', REPEATED_DENIALS: 'repeated denials',
  FAILED_LOGINS: 'failed logins', FLAGGED_CHART: 'flagged chart', OUTSIDE_WORKING_HOURS: 'outside working hours',
  BULK_EXPORT: 'bulk export', AUDIT_VERIFY_FAILED: 'audit chain broken',
};

export async function render(main, { query }) {
  setTitle('Alerts');
  const status = selectField('Show', 'status', [['open', 'Open alerts'], ['all', 'All alerts']], query.get('status') || 'open');
  const form = h('form', { class: 'card', role: 'search', 'aria-label': 'Which alerts' },
    h('div', { class: 'fields' }, status.element), h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Show')));
  form.addEventListener('submit', event => {
    event.preventDefault();
    const target = `#/alerts?status=${status.input.value}`;
    if (window.location.hash === target) {
      load();
    } else {
      window.location.hash = target;
    }
  });
  const results = h('section', { 'aria-labelledby': 'alerts-heading', 'aria-live': 'polite' });
  clear(main, h('h1', {}, 'Alerts'), form, results);

  function acknowledgeForm(alert) {
    const note = field(`Note for alert ${alert.id}`, { name: 'note', maxlength: '1000', required: true, autocomplete: 'off' },
      'Why it is settled (stored encrypted, audited)');
    const button = h('button', { type: 'submit' }, 'Acknowledge');
    const ackForm = h('form', { class: 'inline', 'aria-label': `Acknowledge alert ${alert.id}` }, note.element, button);
    ackForm.addEventListener('submit', async event => {
      event.preventDefault();
      if (!note.input.value.trim()) {
        note.input.focus();
        return;
      }
      try {
        await busy('Acknowledging', () => postJson(`/api/alerts/${alert.id}/ack`, { note: note.input.value.trim() },
          { what: 'acknowledge the alert' }), button);
        await load(`Alert ${alert.id} acknowledged.`);
      } catch (error) {
        ackForm.append(errorMessage(error));
      }
    });
    return ackForm;
  }

  async function load(done) {
    clear(results, h('h2', { id: 'alerts-heading' }, 'Alerts, newest first'));
    if (done) {
      results.append(message('ok', done));
    }
    try {
      const { alerts } = await busy('Loading alerts', () => getJson(`/api/alerts?status=${query.get('status') === 'all' ? 'all' : 'open'}&_count=200`,
        { what: 'list the alerts' }));
      if (alerts.length === 0) {
        results.append(message('info', query.get('status') === 'all' ? 'No alert has been raised.' : 'No open alert.'));
        return;
      }
      results.append(table(`${alerts.length} alerts`, ['#', 'Raised (UTC)', 'Rule', 'User', 'Patient', 'What', 'Node', 'Acknowledged'],
        alerts.map(alert => [
          String(alert.id), formatDate(alert.raisedAt),
          h('span', { class: `badge ${alert.acknowledged ? 'neutral' : 'bad'}` }, RULES[alert.rule] || alert.rule),
          alert.actor, alert.patient ? alert.patient.substring('Patient/'.length) : '', alert.summary, alert.node,
          alert.acknowledged
            ? h('span', {}, `${alert.acknowledged.by}, ${formatDate(alert.acknowledged.at)}: `, h('q', {}, alert.acknowledged.note))
            : acknowledgeForm(alert),
        ]), { numeric: [0] }));
    } catch (error) {
      results.append(errorMessage(error));
    }
  }
  await load();
}
