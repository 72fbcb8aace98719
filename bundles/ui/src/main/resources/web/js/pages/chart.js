// A patient's chart: demographics, conditions, medications, encounters, observations (with a time-series plot per
// LOINC code), imaging studies and earlier model results. Each part loads on its own, so one refused or failing
// part does not hide the others.
import { getJson, searchAll } from '../api.js';
import { timeSeries } from '../charts.js';
import {
  busy, clear, conceptText, errorMessage, field, formatDate, formatNumber, h, message, patientName, selectField,
  setTitle, table, uid,
} from '../dom.js';
import { hasRole } from '../session.js';

function loinc(observation) {
  const coding = ((observation.code || {}).coding || []).find(c => c.system === 'http://loinc.org')
    || ((observation.code || {}).coding || [])[0] || {};
  return { code: coding.code || '?', display: (observation.code || {}).text || coding.display || coding.code || '?' };
}

/** The numeric points of an observation: its own value, or each component's (blood pressure panels). */
function points(observation) {
  const time = observation.effectiveDateTime || (observation.effectivePeriod || {}).start || observation.issued;
  const out = [];
  if (observation.valueQuantity && typeof observation.valueQuantity.value === 'number') {
    out.push({ ...loinc(observation), value: observation.valueQuantity.value, unit: observation.valueQuantity.unit || observation.valueQuantity.code || '', time });
  }
  (observation.component || []).forEach(component => {
    if (component.valueQuantity && typeof component.valueQuantity.value === 'number') {
      out.push({ ...loinc(component), value: component.valueQuantity.value, unit: component.valueQuantity.unit || '', time });
    }
  });
  return out.filter(p => p.time);
}

function age(birthDate, deceased) {
  if (!birthDate) {
    return '';
  }
  const end = deceased ? new Date(deceased) : new Date();
  const born = new Date(birthDate);
  let years = end.getUTCFullYear() - born.getUTCFullYear();
  if (end.getUTCMonth() < born.getUTCMonth() || (end.getUTCMonth() === born.getUTCMonth() && end.getUTCDate() < born.getUTCDate())) {
    years -= 1;
  }
  return `${years} years`;
}

function section(title, id) {
  const body = h('div', {}, h('p', { class: 'muted' }, 'Loading…'));
  return { body, element: h('section', { class: 'card', 'aria-labelledby': id }, h('h2', { id }, title), body) };
}

/**
 * The emergency way into a chart outside the clinician's care relationships: a reason, sent with the HL7 purpose
 * of use BTG; the server grants the chart for a limited time and audits every access with the reason.
 */
function breakGlassDialog(patientId, reopen) {
  const headingId = uid('btg');
  const reason = field('Reason for opening this chart', { name: 'reason', required: true, rows: 3, maxlength: 500 },
    'Kept in the audit trail with every access; the privacy officer is alerted.', 'textarea');
  const feedback = h('div', { 'aria-live': 'polite' });
  const form = h('form', { class: 'card break-glass', role: 'dialog', 'aria-labelledby': headingId },
    h('h2', { id: headingId }, 'Emergency access (break the glass)'),
    h('p', {}, 'You may open this chart in an emergency by giving a reason. Access is granted for a limited time.'),
    reason.element, feedback,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'danger' }, 'Break the glass and open the chart')));
  form.addEventListener('submit', async event => {
    event.preventDefault();
    // A header carries one line: whitespace (line breaks included) becomes single spaces.
    const text = reason.input.value.replace(/\s+/g, ' ').trim();
    if (!text) {
      clear(feedback, message('error', 'Give the reason for opening this chart: it is required.'));
      return;
    }
    try {
      await getJson(`/fhir/Patient/${encodeURIComponent(patientId)}`, {
        what: "open this patient's chart",
        extraHeaders: { 'X-Purpose-Of-Use': 'BTG', 'X-Break-Glass-Reason': text },
      });
      reopen();
    } catch (error) {
      clear(feedback, errorMessage(error));
    }
  });
  return form;
}

export async function render(main, { params }) {
  const [patientId] = params;
  setTitle('Patient chart');
  const header = h('div', {});
  const demographics = section('Demographics', uid('demo'));
  const conditions = section('Conditions', uid('cond'));
  const medications = section('Medications', uid('med'));
  const encounters = section('Encounters', uid('enc'));
  const observations = section('Observations: labs and vital signs', uid('obs'));
  const imaging = section('Imaging studies', uid('img'));
  const risks = section('Model results (risk assessments)', uid('risk'));
  clear(main, h('p', {}, h('a', { href: '#/patients' }, '← Back to the patient list')), header,
    demographics.element,
    h('div', { class: 'grid-2' }, conditions.element, medications.element),
    observations.element, imaging.element, h('div', { class: 'grid-2' }, encounters.element, risks.element));
  const charts = [];

  const patient = await busy('Opening the chart', () => getJson(`/fhir/Patient/${encodeURIComponent(patientId)}`,
    { what: "open this patient's chart" })).catch(error => {
    clear(header, h('h1', {}, 'Patient chart'), errorMessage(error));
    [demographics, conditions, medications, encounters, observations, imaging, risks].forEach(s => s.element.remove());
    if (error.status === 403 && (error.detail || '').startsWith('no care relationship') && hasRole('clinician')) {
      header.append(breakGlassDialog(patientId, () => render(main, { params })));
    }
    return null;
  });
  if (!patient) {
    return undefined;
  }
  setTitle(patientName(patient));
  const actions = h('div', { class: 'actions' },
    h('a', { class: 'button', href: `#/patients/${patient.id}/predict` }, 'Prediction models'));
  clear(header, h('h1', {}, patientName(patient)), actions);
  const identifiers = (patient.identifier || []).map(i => i.value).join(', ');
  const address = (patient.address || [])[0];
  clear(demographics.body, h('dl', { class: 'facts' },
    h('dt', {}, 'Identifiers'), h('dd', {}, identifiers || '–'),
    h('dt', {}, 'Sex'), h('dd', {}, patient.gender || '–'),
    h('dt', {}, 'Birth date'), h('dd', {}, patient.birthDate ? `${patient.birthDate} (${age(patient.birthDate, patient.deceasedDateTime)})` : '–'),
    patient.deceasedDateTime || patient.deceasedBoolean
      ? [h('dt', {}, 'Deceased'), h('dd', {}, patient.deceasedDateTime ? formatDate(patient.deceasedDateTime) : 'yes')] : null,
    h('dt', {}, 'Address'), h('dd', {}, address ? [...(address.line || []), address.postalCode, address.city, address.country].filter(Boolean).join(', ') : '–'),
    h('dt', {}, 'Phone'), h('dd', {}, ((patient.telecom || []).find(t => t.system === 'phone') || {}).value || '–')));

  const search = (type, what) => searchAll(type, { patient: patient.id }, { what });
  const fill = async (part, type, what, build) => {
    try {
      const { resources } = await search(type, what);
      clear(part.body);
      build(resources);
    } catch (error) {
      clear(part.body, errorMessage(error));
    }
  };

  await Promise.all([
    fill(conditions, 'Condition', 'read conditions', resources => {
      conditions.body.append(resources.length === 0 ? message('info', 'No conditions recorded.')
        : table('Conditions', ['Condition', 'Status', 'Onset'], resources.map(c => [
          conceptText(c.code), conceptText(c.clinicalStatus), formatDate(c.onsetDateTime)]), { hiddenCaption: true }));
    }),
    fill(medications, 'MedicationRequest', 'read medications', resources => {
      medications.body.append(resources.length === 0 ? message('info', 'No medications recorded.')
        : table('Medication requests', ['Medication', 'Status', 'Since'], resources.map(m => [
          conceptText(m.medicationCodeableConcept), m.status || '', formatDate(m.authoredOn)]), { hiddenCaption: true }));
    }),
    fill(encounters, 'Encounter', 'read encounters', resources => {
      resources.sort((a, b) => String((b.period || {}).start).localeCompare(String((a.period || {}).start)));
      encounters.body.append(resources.length === 0 ? message('info', 'No encounters recorded.')
        : table('Encounters, newest first', ['Start', 'End', 'Class', 'Status'], resources.map(e => [
          formatDate((e.period || {}).start), formatDate((e.period || {}).end), (e.class || {}).display || (e.class || {}).code || '', e.status || ''])));
    }),
    fill(observations, 'Observation', 'read observations', resources => {
      buildObservations(observations.body, resources.flatMap(points), charts);
    }),
    fill(imaging, 'ImagingStudy', 'read imaging studies', resources => {
      buildStudies(imaging.body, patient.id, resources);
    }),
    fill(risks, 'RiskAssessment', 'read model results', resources => {
      resources.sort((a, b) => String(b.occurrenceDateTime).localeCompare(String(a.occurrenceDateTime)));
      risks.body.append(resources.length === 0 ? message('info', 'No model has been run for this patient yet.')
        : table('Model results, newest first', ['When', 'Model', 'Outcome', 'Probability'], resources.map(r => {
          const prediction = (r.prediction || [])[0] || {};
          return [formatDate(r.occurrenceDateTime), conceptText(r.method) || conceptText(r.code),
            conceptText(prediction.outcome), prediction.probabilityDecimal !== undefined ? formatNumber(prediction.probabilityDecimal) : ''];
        }), { numeric: [3] }));
    }),
  ]);
  return () => charts.forEach(c => c.destroy());
}

function buildObservations(body, all, charts) {
  if (all.length === 0) {
    body.append(message('info', 'No numeric observations recorded.'));
    return;
  }
  const byCode = new Map();
  all.forEach(p => {
    if (!byCode.has(p.code)) {
      byCode.set(p.code, { display: p.display, unit: p.unit, points: [] });
    }
    byCode.get(p.code).points.push(p);
  });
  byCode.forEach(series => series.points.sort((a, b) => new Date(a.time) - new Date(b.time)));
  const codes = [...byCode.entries()].sort((a, b) => a[1].display.localeCompare(b[1].display));
  const chooser = selectField('Show over time', 'loinc',
    codes.map(([code, s]) => [code, `${s.display} (LOINC ${code}, ${s.points.length} value${s.points.length === 1 ? '' : 's'})`]),
    codes[0][0]);
  const canvas = h('canvas', { role: 'img', 'aria-label': '' });
  const box = h('div', { class: 'chart-box' }, canvas);
  const draw = () => {
    const series = byCode.get(chooser.input.value);
    charts.forEach(c => c.destroy());
    charts.length = 0;
    canvas.setAttribute('aria-label', `${series.display} over time, ${series.points.length} values; the table below lists the latest value of each code`);
    charts.push(timeSeries(canvas, series.display, series.unit,
      series.points.map(p => ({ t: new Date(p.time).getTime(), y: p.value }))));
  };
  chooser.input.addEventListener('change', draw);
  body.append(chooser.element, box);
  body.append(h('h3', {}, 'Latest values'), table('Latest value of each observation code',
    ['Observation', 'LOINC', 'Latest value', 'Unit', 'When', 'Values'],
    codes.map(([code, s]) => {
      const last = s.points[s.points.length - 1];
      return [s.display, code, formatNumber(last.value, 4), s.unit, formatDate(last.time), String(s.points.length)];
    }), { numeric: [2, 5], hiddenCaption: true }));
  try {
    draw();
  } catch (error) {
    box.replaceWith(message('warn', 'The plot cannot be drawn here; the table below has the values.'));
  }
}

function buildStudies(body, patientId, studies) {
  if (studies.length === 0) {
    body.append(message('info', 'No imaging studies for this patient.'));
    return;
  }
  studies.forEach(study => {
    const studyUid = ((study.identifier || [])[0] || {}).value?.replace(/^urn:oid:/, '') || '';
    const series = study.series || [];
    body.append(h('h3', {}, `${study.description || 'Study'} — ${study.started || 'date unknown'}`),
      table(`Series of study ${studyUid}`, ['Series', 'Modality', 'Images', ''], series.map(s => {
        const first = (s.instance || [])[0];
        const link = first ? h('a', {
          class: 'button secondary',
          href: `#/patients/${patientId}/images?${new URLSearchParams({ study: studyUid, series: s.uid, instance: first.uid })}`,
        }, 'Open in viewer') : '';
        return [s.description || s.uid, (s.modality || {}).code || '', String((s.instance || []).length), link];
      }), { numeric: [2] }));
  });
  if (!hasRole('clinician')) {
    body.append(h('p', { class: 'muted' }, 'Running imaging algorithms is for clinicians.'));
  }
}
