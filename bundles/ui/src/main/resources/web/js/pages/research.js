// Research: survival analysis of a cohort from the record (aggregate numbers only: small counts are hidden by the
// server) or of an uploaded table. Kaplan-Meier curves per group, the log-rank test and the Cox model's table.
import { ApiError, postBody, postJson } from '../api.js';
import { stepCurves } from '../charts.js';
import {
  busy, clear, errorMessage, field, formatNumber, formatP, h, message, selectField, setTitle, table, uid,
} from '../dom.js';

/** Conditions the demo record holds (SNOMED CT); any other system|code can be typed. */
const CONDITIONS = [
  ['http://snomed.info/sct|254637007', 'Non-small cell lung cancer'],
  ['http://snomed.info/sct|84114007', 'Heart failure'],
  ['http://snomed.info/sct|49436004', 'Atrial fibrillation'],
  ['http://snomed.info/sct|44054006', 'Diabetes mellitus type 2'],
  ['http://snomed.info/sct|38341003', 'Hypertensive disorder'],
  ['http://snomed.info/sct|22298006', 'Myocardial infarction'],
  ['http://snomed.info/sct|230690007', 'Cerebrovascular accident'],
];

const NOT_INSTALLED = 'The analysis service is not installed on this server, so survival analyses cannot be run '
  + 'here yet. Ask an administrator to install it.';

function failure(error) {
  if (error instanceof ApiError && error.status === 404) {
    return message('warn', NOT_INSTALLED);
  }
  return errorMessage(error);
}

export async function render(main) {
  setTitle('Research');
  const charts = [];
  const output = h('div', { 'aria-live': 'polite' });

  // Cohort from the record.
  const listId = uid('conditions');
  const condition = field('Condition (system|code)', {
    name: 'condition', list: listId, value: CONDITIONS[0][0], required: true, pattern: '[^|\\s]+\\|[^|\\s]+', autocomplete: 'off',
  }, 'Patients with this condition, followed from its onset to death. Pick a suggestion or type a code.');
  const datalist = h('datalist', { id: listId }, CONDITIONS.map(([value, text]) => h('option', { value }, text)));
  const group = selectField('Compare groups', 'group', [['sex', 'By sex'], ['', 'No groups (whole cohort)']], 'sex');
  const age = h('input', { type: 'checkbox', name: 'covariate', value: 'age', checked: true, id: uid('age') });
  const sex = h('input', { type: 'checkbox', name: 'covariate', value: 'sex', checked: true, id: uid('sex') });
  const ties = selectField('Tied event times (Cox)', 'ties', [['efron', 'Efron (as R)'], ['breslow', 'Breslow']], 'efron');
  const cohortButton = h('button', { type: 'submit' }, 'Analyse cohort');
  const cohortForm = h('form', { class: 'card', 'aria-labelledby': 'cohort-heading' },
    h('h2', { id: 'cohort-heading' }, 'Cohort from the record'),
    condition.element, datalist, h('div', { class: 'fields' }, group.element, ties.element),
    h('fieldset', {}, h('legend', {}, 'Cox model covariates'),
      h('label', { class: 'check', for: age.id }, age, 'Age at onset (years)'),
      h('label', { class: 'check', for: sex.id }, sex, 'Sex (1 female, 0 male)')),
    h('div', { class: 'actions' }, cohortButton));
  cohortForm.addEventListener('submit', async event => {
    event.preventDefault();
    if (!condition.input.checkValidity()) {
      condition.input.reportValidity();
      return;
    }
    const request = {
      condition: condition.input.value.trim(), event: 'death',
      covariates: [age, sex].filter(box => box.checked).map(box => box.value), ties: ties.input.value,
    };
    if (group.input.value) {
      request.group = group.input.value;
    }
    await run(() => postJson('/api/analysis/cohort/survival', request, { what: 'analyse cohorts' }), cohortButton,
      CONDITIONS.find(([value]) => value === request.condition)?.[1] || request.condition);
  });

  // An uploaded table.
  const file = field('Table (CSV with a header row)', { name: 'file', type: 'file', accept: '.csv,text/csv', required: true });
  const time = field('Time column', { name: 'time', required: true, value: 'time' });
  const eventColumn = field('Event column', { name: 'event', required: true, value: 'status' });
  const eventValue = field('Event value', { name: 'event-value', value: '' }, 'The value that means the event happened (blank: 1).');
  const groupColumn = field('Group column', { name: 'group', value: '' }, 'Optional: curves and log-rank per group.');
  const covariates = field('Covariates', { name: 'covariates', value: '' }, 'Optional: columns for the Cox model, separated by commas.');
  const uploadButton = h('button', { type: 'submit' }, 'Analyse table');
  const uploadForm = h('form', { class: 'card', 'aria-labelledby': 'upload-heading' },
    h('h2', { id: 'upload-heading' }, 'Your own table'),
    h('p', { class: 'muted' }, 'The table is analysed and not stored.'),
    file.element, h('div', { class: 'fields' }, time.element, eventColumn.element, eventValue.element, groupColumn.element, covariates.element),
    h('div', { class: 'actions' }, uploadButton));
  uploadForm.addEventListener('submit', async event => {
    event.preventDefault();
    for (const input of [file.input, time.input, eventColumn.input]) {
      if (!input.checkValidity()) {
        input.reportValidity();
        return;
      }
    }
    const query = new URLSearchParams({ time: time.input.value.trim(), event: eventColumn.input.value.trim() });
    [[eventValue, 'event-value'], [groupColumn, 'group'], [covariates, 'covariates']].forEach(([f, name]) => {
      if (f.input.value.trim()) {
        query.set(name, f.input.value.replace(/\s+/g, ''));
      }
    });
    const chosen = file.input.files[0];
    await run(() => postBody(`/api/analysis/survival?${query}`, chosen, 'text/csv', { what: 'analyse data' }), uploadButton, chosen.name);
  });

  clear(main, h('h1', {}, 'Research: survival analysis'),
    h('p', { class: 'muted' }, 'Aggregate results only: groups smaller than the minimum size are hidden and small counts read "<5".'),
    h('div', { class: 'grid-2' }, cohortForm, uploadForm), output);

  async function run(work, button, title) {
    clear(output);
    charts.forEach(chart => chart.destroy());
    charts.length = 0;
    try {
      const result = await busy('Analysing', work, button);
      showResult(result, title);
    } catch (error) {
      output.append(failure(error));
    }
    output.scrollIntoView({ block: 'start' });
  }

  function showResult(result, title) {
    const km = result.kaplanMeier || { groups: [] };
    const shown = km.groups.filter(g => Array.isArray(g.curve));
    const parts = [h('h2', {}, `Results: ${title}`)];
    if (result.cohort) {
      const c = result.cohort;
      const excluded = Object.entries(c.excluded || {}).filter(([, n]) => n !== 0).map(([why, n]) => `${why}: ${n}`).join(', ');
      const total = typeof c.patientsWithCondition === 'number' ? `${c.patientsWithCondition} patients have the condition`
        : 'The number of patients with the condition is withheld (it would reveal a count too small to show)';
      parts.push(h('p', {}, `${total}; ${c.analysed} analysed. Follow-up: ${c.followUp}.`
        + (excluded ? ` Excluded: ${excluded}.` : '')));
    }
    const canvas = h('canvas', { role: 'img', 'aria-label': 'Kaplan-Meier survival curves per group; the table below gives each group\'s median' });
    parts.push(h('section', { class: 'card', 'aria-labelledby': 'km-heading' }, h('h3', { id: 'km-heading' }, 'Kaplan-Meier survival'),
      shown.length ? h('div', { class: 'chart-box tall' }, canvas) : message('info', 'No curve can be shown (groups too small).'),
      table(`Groups${km.group ? ` by ${km.group}` : ''}`, ['Group', 'Subjects', 'Events', 'Median survival', '95% CI'],
        km.groups.map(g => [g.label, String(g.subjects), g.events === undefined ? (g.hidden || '') : String(g.events),
          g.median ? (g.median.time === null ? 'not reached' : formatNumber(g.median.time, 4)) : '–',
          g.median ? `${g.median.lower === null ? '–' : formatNumber(g.median.lower, 4)} to ${g.median.upper === null ? '–' : formatNumber(g.median.upper, 4)}` : '–']),
        { numeric: [1, 2] }),
      h('p', { class: 'muted' }, km.confidence || '')));
    const logRank = result.logRank;
    if (logRank) {
      parts.push(h('section', { class: 'card', 'aria-labelledby': 'lr-heading' }, h('h3', { id: 'lr-heading' }, 'Log-rank test'),
        logRank.note ? message('info', logRank.note)
          : [h('p', {}, `χ² = ${formatNumber(logRank.chiSquare, 4)} on ${logRank.df} degree${logRank.df === 1 ? '' : 's'} of freedom, p = ${formatP(logRank.p)}`),
            table('Observed and expected events', ['Group', 'Observed', 'Expected'],
              logRank.groups.map(g => [g.label, String(g.observed), formatNumber(g.expected, 4)]), { numeric: [1, 2] })]));
    }
    const cox = result.cox;
    if (cox) {
      parts.push(h('section', { class: 'card', 'aria-labelledby': 'cox-heading' }, h('h3', { id: 'cox-heading' }, 'Cox proportional hazards'),
        cox.note ? message('info', cox.note) : [
          table(`Cox model (${cox.ties} ties), ${cox.subjects} subjects, ${cox.events} events`,
            ['Covariate', 'Coefficient', 'Hazard ratio', '95% CI', 'SE', 'z', 'p'],
            cox.coefficients.map(c => [c.name, formatNumber(c.coef, 4), formatNumber(c.hazardRatio, 4),
              `${formatNumber(c.hazardRatioLower, 3)} to ${formatNumber(c.hazardRatioUpper, 3)}`,
              formatNumber(c.se, 3), formatNumber(c.z, 3), formatP(c.p)]), { numeric: [1, 2, 4, 5, 6] }),
          h('p', {}, `Concordance ${formatNumber(cox.concordance.value, 3)}; likelihood ratio test ${formatNumber(cox.likelihoodRatio.statistic, 4)} on ${cox.likelihoodRatio.df} df, p = ${formatP(cox.likelihoodRatio.p)}.`)]));
    }
    clear(output, parts);
    if (shown.length) {
      charts.push(stepCurves(canvas, shown.map(g => ({
        label: g.label,
        points: [{ x: 0, y: 1 }, ...g.curve.map(step => ({ x: step.time, y: step.survival }))],
      })), result.cohort ? 'Days since onset' : 'Time', 'Survival probability'));
    }
  }
  return () => charts.forEach(chart => chart.destroy());
}
