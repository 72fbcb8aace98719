// Imports for clinicians: DICOM files through STOW-RS (each filed under its patient and study) and FHIR Bundles
// (each stored all-or-nothing). Files go one at a time, with the elapsed time shown, and each gets its own outcome.
import { postBody } from '../api.js';
import { busy, clear, errorMessage, field, h, message, setTitle, table } from '../dom.js';

function patientLink(reference) {
  return reference ? h('a', { href: `#/patients/${reference.substring(reference.indexOf('/') + 1)}` }, 'Open chart') : '';
}

export async function render(main) {
  setTitle('Import');
  const images = field('DICOM files', { name: 'dicom', type: 'file', multiple: true, accept: '.dcm,application/dicom', required: true },
    'Each file is checked by the strict DICOM reader; a refused file leaves nothing behind.');
  const imageButton = h('button', { type: 'submit' }, 'Import images');
  const imageResults = h('div', { 'aria-live': 'polite' });
  const imageForm = h('form', { class: 'card', 'aria-labelledby': 'images-heading' },
    h('h2', { id: 'images-heading' }, 'Images (DICOM)'), images.element, h('div', { class: 'actions' }, imageButton), imageResults);

  const bundles = field('FHIR Bundles (JSON)', { name: 'fhir', type: 'file', multiple: true, accept: '.json,application/fhir+json,application/json', required: true },
    'A transaction or collection Bundle per file, e.g. a patient\'s history; each is stored all or nothing.');
  const bundleButton = h('button', { type: 'submit' }, 'Import records');
  const bundleResults = h('div', { 'aria-live': 'polite' });
  const bundleForm = h('form', { class: 'card', 'aria-labelledby': 'bundles-heading' },
    h('h2', { id: 'bundles-heading' }, 'Records (FHIR)'), bundles.element, h('div', { class: 'actions' }, bundleButton), bundleResults);

  clear(main, h('h1', {}, 'Import'), h('div', { class: 'grid-2' }, imageForm, bundleForm));

  async function importEach(input, button, results, label, send, describe) {
    if (!input.checkValidity()) {
      input.reportValidity();
      return;
    }
    const files = [...input.files];
    const rows = [];
    clear(results);
    let current = 0;
    await busy(() => `${label}: file ${current} of ${files.length}`, async () => {
      for (const file of files) {
        current += 1;
        try {
          rows.push([file.name, ...describe(await send(file))]);
        } catch (error) {
          rows.push([file.name, h('span', { class: 'badge bad' }, 'refused'), errorMessage(error).textContent, '']);
        }
      }
    }, button);
    const refused = rows.filter(row => row[1] instanceof Node && row[1].textContent === 'refused').length;
    results.append(message(refused ? 'warn' : 'ok', `${files.length - refused} of ${files.length} imported.`),
      table('Outcome of each file', ['File', 'Outcome', 'What was stored', ''], rows));
  }

  imageForm.addEventListener('submit', event => {
    event.preventDefault();
    importEach(images.input, imageButton, imageResults, 'Importing images',
      file => postBody('/dicomweb/studies', file, 'application/dicom', { what: 'import images' }),
      answer => {
        const stored = (answer.stored || [])[0];
        const failed = (answer.failed || [])[0];
        return stored
          ? [h('span', { class: 'badge ok' }, 'stored'), `${stored.modality} ${stored.columns}x${stored.rows}, ${stored.frames} frame(s)`, patientLink(stored.patient)]
          : [h('span', { class: 'badge bad' }, 'refused'), failed ? failed.reason || JSON.stringify(failed) : 'not stored', ''];
      });
  });

  bundleForm.addEventListener('submit', event => {
    event.preventDefault();
    importEach(bundles.input, bundleButton, bundleResults, 'Importing records',
      file => postBody('/fhir', file, 'application/fhir+json', { what: 'import records' }),
      answer => {
        const locations = (answer.entry || []).map(entry => (entry.response || {}).location || '').filter(Boolean);
        const patient = locations.find(location => location.startsWith('Patient/'));
        return [h('span', { class: 'badge ok' }, 'stored'), `${locations.length} resources`,
          patientLink(patient ? patient.split('/_history')[0] : null)];
      });
  });
}
