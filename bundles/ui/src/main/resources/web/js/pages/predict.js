// Prediction models for one patient: the model card (intended use, inputs, training data, validation metrics), a
// form whose blank inputs are taken from the record, the prediction with its curve, and its explanation as a bar
// chart of each input's contribution.
import { getJson, postJson } from '../api.js';
import { contributions, stepCurves } from '../charts.js';
import {
  busy, clear, errorMessage, formatNumber, h, message, patientName, selectField, setTitle, table,
} from '../dom.js';
import { parameterForm } from '../forms.js';

export async function render(main, { params, query }) {
  const [patientId] = params;
  setTitle('Prediction models');
  const heading = h('h1', {}, 'Prediction models');
  const status = h('div', {});
  clear(main, h('p', {}, h('a', { href: `#/patients/${patientId}` }, "← Back to the patient's chart")), heading, status);
  const charts = [];
  const cleanup = () => charts.forEach(chart => chart.destroy());

  let models;
  try {
    const [patient, catalogue] = await busy('Loading the models', () => Promise.all([
      getJson(`/fhir/Patient/${encodeURIComponent(patientId)}`, { what: "open this patient's chart" }),
      getJson('/api/models', { what: 'list the prediction models' })]));
    heading.textContent = `Prediction models for ${patientName(patient)}`;
    setTitle(`Prediction models – ${patientName(patient)}`);
    models = catalogue;
  } catch (error) {
    status.append(errorMessage(error));
    return cleanup;
  }
  if (models.length === 0) {
    status.append(message('info', 'No prediction model is installed.'));
    return cleanup;
  }
  const preferred = query.get('model') || (models.some(m => m.id === 'prediction.survival.lung-cox') ? 'prediction.survival.lung-cox' : models[0].id);
  const chooser = selectField('Model', 'model', models.map(m => [m.id, `${m.name} (${m.version})`]), preferred);
  const card = h('section', { class: 'card', 'aria-labelledby': 'card-heading' });
  const formBox = h('div', {});
  const runButton = h('button', { type: 'submit' }, 'Predict');
  const form = h('form', { class: 'card', 'aria-label': 'Model inputs' }, chooser.element, formBox, h('div', { class: 'actions' }, runButton));
  const output = h('div', { 'aria-live': 'polite' });
  main.append(h('div', { class: 'grid-2' }, form, card), output);
  let inputs = null;

  const choose = () => {
    const model = models.find(m => m.id === chooser.input.value);
    const metrics = Object.entries(model.validationMetrics || {});
    clear(card, h('h2', { id: 'card-heading' }, 'Model card'),
      h('dl', { class: 'facts' },
        h('dt', {}, 'Model'), h('dd', {}, `${model.name}, version ${model.version}`),
        h('dt', {}, 'Vendor'), h('dd', {}, model.vendor),
        h('dt', {}, 'What it does'), h('dd', {}, model.description),
        h('dt', {}, 'Intended use'), h('dd', {}, model.intendedUse),
        h('dt', {}, 'Training data'), h('dd', {}, model.trainingData)),
      h('h3', {}, 'Validation metrics'),
      metrics.length ? table('Validation metrics', ['Metric', 'Value'], metrics.map(([k, v]) => [k, formatNumber(v, 4)]), { numeric: [1], hiddenCaption: true })
        : h('p', { class: 'muted' }, 'None stated.'),
      h('h3', {}, 'Inputs'),
      table('Inputs of the model', ['Input', 'Unit', 'Taken from the record as'], model.inputs.map(i => [i.name, i.unit || '–', i.code || '– (give it here)']), { hiddenCaption: true }));
    inputs = parameterForm(model.inputs, { optionalBlank: true, blankHint: 'Leave blank to use the value in the record.' });
    clear(formBox, h('fieldset', {}, h('legend', {}, 'Inputs (blank: from the record)'), inputs.element));
  };
  chooser.input.addEventListener('change', choose);
  choose();

  form.addEventListener('submit', async event => {
    event.preventDefault();
    const values = inputs.values();
    if (values === null) {
      return;
    }
    const model = models.find(m => m.id === chooser.input.value);
    clear(output);
    cleanup();
    charts.length = 0;
    try {
      const run = await busy(`Asking ${model.name}`, () => postJson(`/api/models/${encodeURIComponent(model.id)}/$predict`,
        { patient: patientId, inputs: values }, { what: 'run prediction models' }), runButton);
      showPrediction(run, model);
    } catch (error) {
      output.append(errorMessage(error));
    }
  });

  function showPrediction(run, model) {
    const p = run.prediction;
    const value = p.value === null ? 'not reached' : `${formatNumber(p.value, 4)}${p.unit ? ` ${p.unit}` : ''}`;
    const summary = h('section', { class: 'card', 'aria-labelledby': 'prediction-heading' },
      h('h2', { id: 'prediction-heading' }, 'Prediction'),
      h('dl', { class: 'facts' },
        h('dt', {}, 'Outcome'), h('dd', {}, p.outcome),
        h('dt', {}, 'Value'), h('dd', {}, value),
        h('dt', {}, 'Interpretation'), h('dd', {}, p.interpretation || '–'),
        h('dt', {}, 'Stored as'), h('dd', {}, run.riskAssessment || `not stored: ${run.notStored || 'unknown reason'}`),
        h('dt', {}, 'Model'), h('dd', {}, `${run.model.name} ${run.model.version}, ${run.durationMillis} ms`)),
      h('h3', {}, 'Inputs used'),
      table('Inputs used', ['Input', 'Value', 'Unit', 'Source'], run.inputs.map(i => [i.name, formatNumber(i.value, 5), i.unit || '', i.source + (i.reference ? ` (${i.reference})` : '')]), { numeric: [1], hiddenCaption: true }));
    const explanationCanvas = h('canvas', { role: 'img', 'aria-label': 'Contribution of each input to the prediction; the table below lists the same numbers' });
    const explanation = h('section', { class: 'card', 'aria-labelledby': 'explanation-heading' },
      h('h2', { id: 'explanation-heading' }, 'Explanation: what drove this prediction'),
      h('p', { class: 'muted' }, 'Bars to the right raise the predicted risk, bars to the left lower it (in the model\'s own scale, e.g. log hazard or log odds).'),
      h('div', { class: 'explanation-box', style: null }, explanationCanvas),
      table('Contribution of each input', ['Input', 'Value', 'Contribution', 'Explanation'],
        run.explanation.map(c => [c.input, formatNumber(c.value, 5), formatNumber(c.contribution, 4), c.explanation || '']), { numeric: [1, 2] }));
    clear(output, message('ok', `${model.name}: ${p.outcome} ${value}.`), h('div', { class: 'grid-2' }, summary, explanation));
    explanationCanvas.parentElement.style.height = `${Math.max(200, 60 + run.explanation.length * 44)}px`;
    charts.push(contributions(explanationCanvas, run.explanation.map(c => c.input), run.explanation.map(c => c.contribution ?? 0), 'Contribution'));
    if ((p.curve || []).length) {
      const curveCanvas = h('canvas', { role: 'img', 'aria-label': `Predicted ${p.outcome} over time` });
      output.append(h('section', { class: 'card' }, h('h2', {}, 'Predicted curve'),
        h('div', { class: 'chart-box' }, curveCanvas)));
      const limits = ['lower', 'upper'].map(bound => ({
        label: `${bound === 'lower' ? 'Lower' : 'Upper'} 95% limit`,
        points: p.curve.filter(pt => pt[bound] !== null).map(pt => ({ x: pt.time, y: pt[bound] })),
      })).filter(series => series.points.length > 0);
      charts.push(stepCurves(curveCanvas, [{ label: `Predicted ${p.outcome}`, points: p.curve.map(pt => ({ x: pt.time, y: pt.value })) }, ...limits],
        p.unit === 'd' ? 'Days' : 'Time', `${p.outcome} probability`));
    }
  }
  return cleanup;
}
