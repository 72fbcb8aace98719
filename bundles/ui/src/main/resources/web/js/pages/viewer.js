// The image viewer: a study's series and images, the server-rendered frame with window/level presets in HU, zoom,
// pan and frame scrolling; for clinicians, an imaging algorithm run on the shown frame with source and result side
// by side (linked zoom and pan). A classification (an ONNX model's) shows its top classes with their probabilities and
// its occlusion-sensitivity map as a colour overlay on the source frame, with a legend and an on/off switch.
import { getFrameSamples, getImage, getJson, postJson, searchAll } from '../api.js';
import {
  busy, clear, errorMessage, formatNumber, h, message, selectField, setTitle, table, uid,
} from '../dom.js';
import { parameterForm } from '../forms.js';
import { heatMap, heatMapLegend } from '../heatmap.js';
import { hasRole } from '../session.js';
import { Viewport } from '../viewport.js';

/** Window presets in Hounsfield units (center / width), as radiology uses them. */
const PRESETS = [
  { name: 'Brain', center: 40, width: 80 },
  { name: 'Soft tissue', center: 40, width: 400 },
  { name: 'Lung', center: -600, width: 1500 },
  { name: 'Bone', center: 400, width: 1800 },
];

function renderedUrl(study, series, instance, frame, window) {
  const query = new URLSearchParams({ frame: String(frame) });
  if (window) {
    query.set('window', `${window.center},${window.width}`);
  }
  return `/dicomweb/studies/${study}/series/${series}/instances/${instance}/rendered?${query}`;
}

export async function render(main, { params, query }) {
  const [patientId] = params;
  setTitle('Image viewer');
  const state = {
    study: query.get('study'), series: query.get('series'), instance: query.get('instance'),
    frame: 1, frames: null, window: PRESETS[1],
  };
  const status = h('div', { 'aria-live': 'polite' });
  const sourceCanvas = h('canvas', { tabindex: '0', role: 'img', 'aria-label': 'Source image. Keys: plus and minus zoom, arrows pan, 0 resets, Page Up and Page Down change frame.' });
  const sourceCaption = h('figcaption', {}, '');
  const resultCanvas = h('canvas', { tabindex: '0', role: 'img', 'aria-label': 'Algorithm result, linked to the source: same keys.' });
  const resultCaption = h('figcaption', {}, '');
  const resultFigure = h('figure', { class: 'viewport', hidden: true }, resultCanvas, resultCaption);
  const viewports = h('div', { class: 'viewports' }, h('figure', { class: 'viewport' }, sourceCanvas, sourceCaption), resultFigure);
  const source = new Viewport(sourceCanvas);
  const result = new Viewport(resultCanvas);
  source.link(result);
  let derived = null;

  // Window/level: presets and a custom center/width, in the image's unit (HU for CT).
  const presetButtons = PRESETS.map(preset => h('button', {
    type: 'button', class: 'secondary', 'aria-pressed': String(preset === state.window),
    onclick: () => setWindow(preset),
  }, `${preset.name} ${preset.center}/${preset.width}`));
  const ownButton = h('button', { type: 'button', class: 'secondary', 'aria-pressed': 'false', onclick: () => setWindow(null) }, "Image's own");
  const center = h('input', { id: uid('c'), type: 'number', step: 'any', value: String(state.window.center), style: null });
  const width = h('input', { id: uid('w'), type: 'number', step: 'any', min: '1', value: String(state.window.width) });
  const customForm = h('form', { class: 'toolbar', 'aria-label': 'Custom window' },
    h('label', { for: center.id }, 'Center (HU)'), center, h('label', { for: width.id }, 'Width (HU)'), width,
    h('button', { type: 'submit', class: 'secondary' }, 'Apply'));
  customForm.addEventListener('submit', event => {
    event.preventDefault();
    if (!width.checkValidity() || center.value === '' || width.value === '') {
      width.reportValidity();
      return;
    }
    setWindow({ name: 'Custom', center: Number(center.value), width: Number(width.value) });
  });

  const frameText = h('span', { 'aria-live': 'polite' }, 'Frame 1');
  const toolbar = h('div', {},
    h('div', { class: 'toolbar', role: 'group', 'aria-label': 'Window presets' }, h('span', {}, 'Window:'), presetButtons, ownButton),
    customForm,
    h('div', { class: 'toolbar', role: 'group', 'aria-label': 'Zoom and frames' },
      h('button', { type: 'button', class: 'secondary', onclick: () => source.zoomBy(1.25), 'aria-label': 'Zoom in' }, 'Zoom +'),
      h('button', { type: 'button', class: 'secondary', onclick: () => source.zoomBy(0.8), 'aria-label': 'Zoom out' }, 'Zoom −'),
      h('button', { type: 'button', class: 'secondary', onclick: () => source.reset() }, 'Fit'),
      h('button', { type: 'button', class: 'secondary', onclick: () => changeFrame(-1), 'aria-label': 'Previous frame' }, '◀ Frame'),
      frameText,
      h('button', { type: 'button', class: 'secondary', onclick: () => changeFrame(1), 'aria-label': 'Next frame' }, 'Frame ▶')));
  [sourceCanvas, resultCanvas].forEach(canvas => canvas.addEventListener('keydown', event => {
    if (event.key === 'PageDown') { event.preventDefault(); changeFrame(1); }
    if (event.key === 'PageUp') { event.preventDefault(); changeFrame(-1); }
  }));

  const seriesPanel = h('div', {});
  const algorithmPanel = h('section', { class: 'card', 'aria-labelledby': 'algorithm-heading' });
  const resultPanel = h('div', { 'aria-live': 'polite' });
  const heatPanel = h('div', {});
  clear(main,
    h('p', {}, h('a', { href: `#/patients/${patientId}` }, "← Back to the patient's chart")),
    h('h1', {}, 'Image viewer'), status,
    h('div', { class: 'viewer-layout' },
      h('div', {}, toolbar, viewports, heatPanel, resultPanel),
      h('div', {}, h('section', { class: 'card', 'aria-labelledby': 'series-heading' },
        h('h2', { id: 'series-heading' }, 'Series'), seriesPanel), algorithmPanel)));

  function setWindow(preset) {
    state.window = preset;
    presetButtons.forEach((button, i) => button.setAttribute('aria-pressed', String(PRESETS[i] === preset)));
    ownButton.setAttribute('aria-pressed', String(preset === null));
    if (preset) {
      center.value = String(preset.center);
      width.value = String(preset.width);
    }
    showSource();
    if (derived) {
      showResult();
    }
  }

  function windowText() {
    return state.window ? `window ${state.window.center}/${state.window.width} HU` : "the image's own window";
  }

  async function showSource() {
    if (!state.instance) {
      return;
    }
    try {
      const url = await busy('Loading the image', () => getImage(
        renderedUrl(state.study, state.series, state.instance, state.frame, state.window), { what: 'view this image' }));
      await source.show(url);
      sourceCaption.textContent = `Source, frame ${state.frame}${state.frames ? ` of ${state.frames}` : ''}, ${windowText()}`;
      frameText.textContent = `Frame ${state.frame}${state.frames ? ` of ${state.frames}` : ''}`;
      clear(status);
    } catch (error) {
      clear(status, errorMessage(error));
    }
  }

  /** Removes a classification's heat map: it explains the frame it was computed on only. */
  function dropHeatMap() {
    source.setOverlay(null);
    clear(heatPanel);
  }

  async function changeFrame(delta) {
    const wanted = state.frame + delta;
    if (wanted < 1 || (state.frames && wanted > state.frames)) {
      frameText.textContent = `Frame ${state.frame}${state.frames ? ` of ${state.frames}` : ''} (${wanted < 1 ? 'first' : 'last'} frame)`;
      return;
    }
    try {
      const url = await getImage(renderedUrl(state.study, state.series, state.instance, wanted, state.window), { what: 'view this image' });
      state.frame = wanted;
      dropHeatMap();
      await source.show(url);
      sourceCaption.textContent = `Source, frame ${state.frame}${state.frames ? ` of ${state.frames}` : ''}, ${windowText()}`;
      frameText.textContent = `Frame ${state.frame}${state.frames ? ` of ${state.frames}` : ''}`;
    } catch (error) {
      // The server says how many frames there are when asked for one beyond the last.
      const count = /has (\d+) frame/.exec(error.detail || '');
      if (count) {
        state.frames = Number(count[1]);
        frameText.textContent = `Frame ${state.frame} of ${state.frames} (last frame)`;
      } else {
        clear(status, errorMessage(error));
      }
    }
  }

  async function showResult() {
    try {
      const url = await getImage(renderedUrl(derived.studyInstanceUid, derived.seriesInstanceUid, derived.sopInstanceUid, 1,
        resultWindow.input.value === 'source' ? state.window : null), { what: 'view the result image' });
      await result.show(url);
      resultFigure.hidden = false;
      viewports.classList.add('side-by-side');
      resultCaption.textContent = `Result: ${derived.algorithmName}, ${resultWindow.input.value === 'source' ? windowText() : "the result's own window"}`;
      result.draw();
      source.draw();
    } catch (error) {
      clear(resultPanel, errorMessage(error));
    }
  }

  const resultWindow = selectField('Result window', 'result-window',
    [['source', 'Same window as the source'], ['own', "The result's own range (masks, edges, spectra)"]], 'source');
  resultWindow.input.addEventListener('change', () => { if (derived) { showResult(); } });

  // The patient's studies: every series, so that derived images (in series of their own) can be opened too.
  async function listSeries() {
    try {
      const { resources } = await searchAll('ImagingStudy', { patient: patientId }, { what: 'read imaging studies' });
      const rows = [];
      resources.forEach(study => {
        const studyUid = ((study.identifier || [])[0] || {}).value?.replace(/^urn:oid:/, '') || '';
        (study.series || []).forEach(series => (series.instance || []).forEach((instance, index) => {
          if (!state.instance) {
            Object.assign(state, { study: studyUid, series: series.uid, instance: instance.uid });
          }
          const current = instance.uid === state.instance;
          const link = h('a', {
            href: `#/patients/${patientId}/images?${new URLSearchParams({ study: studyUid, series: series.uid, instance: instance.uid })}`,
            'aria-current': current ? 'true' : null,
          }, `${(series.modality || {}).code || 'Image'} ${index + 1}`);
          const row = h('tr', { class: current ? 'selected' : null },
            h('td', {}, link), h('td', {}, series.description ? series.description.split(' from ')[0] : 'acquired'));
          rows.push(row);
        }));
      });
      clear(seriesPanel, rows.length ? table('Images of this patient', ['Image', 'Series'], rows, { hiddenCaption: true })
        : message('info', 'This patient has no images.'));
    } catch (error) {
      clear(seriesPanel, errorMessage(error));
    }
  }
  await listSeries();
  if (!state.instance) {
    clear(status, message('info', 'There is no image to show.'));
    return () => { source.dispose(); result.dispose(); };
  }
  await showSource();

  // Algorithms: clinicians only (the engine refuses anyone else with 403).
  if (!hasRole('clinician')) {
    clear(algorithmPanel, h('h2', { id: 'algorithm-heading' }, 'Imaging algorithms'),
      message('info', 'Running imaging algorithms is for clinicians.'));
  } else {
    await buildAlgorithms();
  }

  async function buildAlgorithms() {
    clear(algorithmPanel, h('h2', { id: 'algorithm-heading' }, 'Run an imaging algorithm'), h('p', { class: 'muted' }, 'Loading…'));
    let algorithms;
    try {
      algorithms = await getJson('/api/algorithms', { what: 'list the imaging algorithms' });
    } catch (error) {
      clear(algorithmPanel, h('h2', { id: 'algorithm-heading' }, 'Run an imaging algorithm'), errorMessage(error));
      return;
    }
    if (algorithms.length === 0) {
      clear(algorithmPanel, h('h2', { id: 'algorithm-heading' }, 'Run an imaging algorithm'),
        message('info', 'No imaging algorithm is installed.'));
      return;
    }
    const chooser = selectField('Algorithm', 'algorithm', algorithms.map(a => [a.id, `${a.name} (${a.version})`]),
      algorithms.some(a => a.id === 'imaging.gaussian-blur') ? 'imaging.gaussian-blur' : algorithms[0].id);
    const about = h('div', {});
    const formBox = h('div', {});
    const runButton = h('button', { type: 'submit' }, 'Run on this frame');
    const form = h('form', { 'aria-label': 'Algorithm parameters' }, chooser.element, about, formBox, resultWindow.element,
      h('div', { class: 'actions' }, runButton));
    let parameters = null;
    const choose = () => {
      const algorithm = algorithms.find(a => a.id === chooser.input.value);
      clear(about, algorithm.intendedUse ? h('p', {}, `Intended use: ${algorithm.intendedUse}`) : null,
        h('details', {}, h('summary', {}, 'How it works'), h('p', {}, algorithm.description)),
        h('p', { class: 'muted' }, `Vendor: ${algorithm.vendor}`));
      parameters = parameterForm(algorithm.parameters);
      clear(formBox, algorithm.parameters.length ? h('fieldset', {}, h('legend', {}, 'Parameters'), parameters.element)
        : h('p', { class: 'muted' }, 'This algorithm has no parameters.'));
    };
    chooser.input.addEventListener('change', choose);
    choose();
    form.addEventListener('submit', async event => {
      event.preventDefault();
      const values = parameters.values();
      if (values === null) {
        return;
      }
      const algorithm = algorithms.find(a => a.id === chooser.input.value);
      clear(resultPanel);
      dropHeatMap();
      try {
        const run = await busy(`Running ${algorithm.name}`, () => postJson(
          `/api/algorithms/${encodeURIComponent(algorithm.id)}/$run`,
          { instance: state.instance, frame: state.frame - 1, parameters: values },
          { what: 'run imaging algorithms' }), runButton);
        showRun(run, algorithm);
      } catch (error) {
        clear(resultPanel, errorMessage(error));
      }
    });
    clear(algorithmPanel, h('h2', { id: 'algorithm-heading' }, 'Run an imaging algorithm'), form);
  }

  function showRun(run, algorithm) {
    const facts = h('dl', { class: 'facts' },
      h('dt', {}, 'Algorithm'), h('dd', {}, `${run.algorithm.name} ${run.algorithm.version}`),
      h('dt', {}, 'Parameters'), h('dd', {}, Object.entries(run.parameters || {}).map(([k, v]) => `${k} = ${v}`).join(', ') || 'none'),
      h('dt', {}, 'Duration'), h('dd', {}, `${run.durationMillis} ms`),
      h('dt', {}, 'Result image'), h('dd', {}, run.derivedInstance ? run.derivedInstance.sopInstanceUid : 'none (measurements only)'));
    const measurements = (run.measurements || []).length
      ? table('Measurements', ['Measurement', 'Value', 'Unit'], run.measurements.map(m => [m.name, formatNumber(m.value, 5), m.unit]), { numeric: [1] })
      : null;
    const findings = (run.findings || []).length
      ? table('Findings', ['Finding', 'Measurements'], run.findings.map(f => [f.label,
        f.measurements.map(m => `${m.name} ${formatNumber(m.value, 4)} ${m.unit}`).join('; ')]))
      : null;
    clear(resultPanel, message('ok', `${algorithm.name} finished in ${run.durationMillis} ms.`
      + (run.derivedInstance ? ' The result image is stored with the study, in a series of its own.' : '')),
    h('div', { class: 'card' }, h('h2', {}, 'Result'), facts, measurements, findings));
    const classes = topClasses(run);
    if (run.derivedInstance && classes.length) {
      // A classification's derived image is its explanation: drawn over the source, not beside it.
      derived = null;
      resultFigure.hidden = true;
      viewports.classList.remove('side-by-side');
      showClassification(run, classes);
      listSeries();
    } else if (run.derivedInstance) {
      derived = { ...run.derivedInstance, algorithmName: `${run.algorithm.name} ${run.algorithm.version}` };
      // A segmentation holds 0 and 1, not values in the source's unit: the source's window would show it grey.
      if (derived.modality === 'SEG') {
        resultWindow.input.value = 'own';
      }
      showResult();
      listSeries();
    } else {
      derived = null;
      resultFigure.hidden = true;
      viewports.classList.remove('side-by-side');
    }
  }

  /** The classes a classification reports as findings (each with its probability and rank), most likely first. */
  function topClasses(run) {
    const value = (finding, name) => (finding.measurements || []).find(m => m.name === name)?.value;
    return (run.findings || [])
      .filter(f => value(f, 'probability') !== undefined && value(f, 'rank') !== undefined)
      .map(f => ({ label: f.label, probability: value(f, 'probability'), rank: value(f, 'rank') }))
      .sort((a, b) => a.rank - b.rank);
  }

  async function showClassification(run, classes) {
    const top = classes[0];
    const list = h('ol', { class: 'top-classes', 'aria-label': 'Top classes' }, classes.map(c => h('li', {},
      h('span', { class: 'class-label' }, c.label), ' ',
      h('meter', { min: '0', max: '1', value: String(c.probability), 'aria-hidden': 'true' }), ' ',
      h('span', { class: 'class-probability' }, `${(100 * c.probability).toFixed(1)} %`))));
    const card = h('section', { class: 'card', 'aria-labelledby': 'classification-heading' },
      h('h2', { id: 'classification-heading' }, `Classification: ${top.label} (${(100 * top.probability).toFixed(1)} %)`),
      list, h('p', { class: 'muted' }, 'Loading the heat map…'));
    clear(heatPanel, card);
    try {
      const instance = run.derivedInstance;
      const samples = await getFrameSamples(`/dicomweb/studies/${instance.studyInstanceUid}/series/`
        + `${instance.seriesInstanceUid}/instances/${instance.sopInstanceUid}/frames/1`, { what: 'view the heat map' });
      const width = source.image.naturalWidth;
      const height = source.image.naturalHeight;
      if (samples.byteLength !== 4 * width * height) {
        throw new Error(`The heat map has ${samples.byteLength / 4} values; the frame has ${width} x ${height} pixels.`);
      }
      const map = heatMap(new Float32Array(samples), width, height);
      source.setOverlay(map.canvas);
      source.showOverlay(true);
      const toggle = h('input', { type: 'checkbox', id: uid('heat'), checked: true,
        onchange: event => source.showOverlay(event.target.checked) });
      card.lastChild.replaceWith(h('div', {},
        h('div', { class: 'toolbar' }, toggle, h('label', { for: toggle.id }, 'Show heat map over the image')),
        heatMapLegend(map, top.label)));
    } catch (error) {
      card.lastChild.replaceWith(errorMessage(error));
    }
  }

  return () => { source.dispose(); result.dispose(); };
}
