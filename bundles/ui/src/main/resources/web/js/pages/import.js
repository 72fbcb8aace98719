// Imports for clinicians: DICOM files through STOW-RS (each filed under its patient and study) and FHIR Bundles
// (each stored all-or-nothing). Files go one at a time, with the elapsed time shown, and each gets its own outcome.
import { dicomValue, postBody, storeFailures } from '../api.js';
import { busy, clear, errorMessage, field, h, message, setTitle, table } from '../dom.js';

function patientLink(reference) {
  return reference ? h('a', { href: `#/patients/${reference.substring(reference.indexOf('/') + 1)}` }, 'Open chart') : '';
}

export async function render(main) {
  setTitle('Import');
  const images = field('DICOM files', { name: 'dicom', type: 'file', multiple: true, accept: '.dcm,application/dicom', required: true },
    'Each file is checked by the DICOM reader; a refused file leaves nothing behind, and a value stored as received is shown as a warning.');
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
          rows.push([file.name, h('span', { class: 'badge bad' }, 'refused'), error.detail && [400, 409, 413].includes(error.status)
            ? error.detail : errorMessage(error).textContent, '']);
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
      // The PS3.18 store response: the instance stored (Referenced SOP Sequence) with any values stored as received,
      // or why it was not (Failed SOP Sequence; an answer that stored nothing arrives as an error instead).
      answer => {
        const stored = ((answer['00081199'] || {}).Value || [])[0];
        if (!stored) {
          return [h('span', { class: 'badge bad' }, 'refused'), storeFailures(answer).join('; ') || 'not stored', ''];
        }
        const warnings = ((stored['00091012'] || {}).Value || []).map(warning => {
          const tag = dicomValue(warning, '00091013') || '';
          return `(${tag.substring(0, 4)},${tag.substring(4)}) ${dicomValue(warning, '00091015')}: stored as received, read as ${dicomValue(warning, '00091016')}`;
        });
        return warnings.length
          ? [h('span', { class: 'badge warn' }, 'stored with warnings'), warnings.join('; '), patientLink(dicomValue(stored, '00091010'))]
          : [h('span', { class: 'badge ok' }, 'stored'), `instance ${dicomValue(stored, '00081155')}`, patientLink(dicomValue(stored, '00091010'))];
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
