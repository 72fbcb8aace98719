// Patient search (family name, identifier such as the MRN, birth date) and the list of matches, a page at a time.
import { getJson } from '../api.js';
import { busy, clear, errorMessage, field, h, message, patientName, setTitle, table } from '../dom.js';

const PAGE = 20;
const CRITERIA = ['family', 'identifier', 'birthdate'];

function mrn(patient) {
  const identifier = (patient.identifier || [])[0];
  return identifier ? identifier.value : '';
}

export async function render(main, { query }) {
  setTitle('Patients');
  const family = field('Family name', { name: 'family', value: query.get('family') || '', autocomplete: 'off' },
    'Exact match, any case');
  const identifier = field('Identifier (MRN)', { name: 'identifier', value: query.get('identifier') || '', autocomplete: 'off' },
    'e.g. DEMO-60100190');
  const birthdate = field('Birth date', { name: 'birthdate', type: 'date', value: query.get('birthdate') || '' });
  const form = h('form', { class: 'card', role: 'search', 'aria-label': 'Find a patient' },
    h('div', { class: 'fields' }, family.element, identifier.element, birthdate.element),
    h('div', { class: 'actions' },
      h('button', { type: 'submit' }, 'Search'),
      h('button', { type: 'button', class: 'secondary', onclick: () => { window.location.hash = '#/patients'; } }, 'Clear')));
  form.addEventListener('submit', event => {
    event.preventDefault();
    const next = new URLSearchParams();
    [family, identifier, birthdate].forEach(f => {
      if (f.input.value.trim()) {
        next.set(f.input.name, f.input.value.trim());
      }
    });
    const target = `#/patients?${next}`;
    if (window.location.hash === target) {
      load();
    } else {
      window.location.hash = target;
    }
  });
  const results = h('section', { 'aria-labelledby': 'results-heading' });
  clear(main, h('h1', {}, 'Patients'), form, results);

  async function load() {
    const offset = Number(query.get('offset') || 0);
    const search = new URLSearchParams({ _count: String(PAGE), _offset: String(offset) });
    CRITERIA.forEach(name => { if (query.get(name)) { search.set(name, query.get(name)); } });
    clear(results, h('h2', { id: 'results-heading' }, 'Results'));
    try {
      const bundle = await busy('Searching', () => getJson(`/fhir/Patient?${search}`, { what: 'search for patients' }));
      const patients = (bundle.entry || []).map(entry => entry.resource);
      if (patients.length === 0) {
        results.append(message('info', 'No patient matches. Names and identifiers must match exactly (any case).'));
        return;
      }
      results.append(h('p', { class: 'muted' },
        `${bundle.total} patient${bundle.total === 1 ? '' : 's'}; showing ${offset + 1}–${offset + patients.length}.`));
      results.append(table('Matching patients', ['Name', 'MRN', 'Sex', 'Birth date', 'Deceased'],
        patients.map(p => [
          h('a', { href: `#/patients/${p.id}` }, patientName(p)),
          mrn(p), p.gender || '', p.birthDate || '',
          p.deceasedDateTime ? p.deceasedDateTime.substring(0, 10) : (p.deceasedBoolean ? 'yes' : '')])));
      const pager = h('div', { class: 'actions' });
      const page = delta => {
        const next = new URLSearchParams(query);
        next.set('offset', String(Math.max(0, offset + delta)));
        window.location.hash = `#/patients?${next}`;
      };
      if (offset > 0) {
        pager.append(h('button', { type: 'button', class: 'secondary', onclick: () => page(-PAGE) }, 'Previous page'));
      }
      if (offset + patients.length < bundle.total) {
        pager.append(h('button', { type: 'button', class: 'secondary', onclick: () => page(PAGE) }, 'Next page'));
      }
      results.append(pager);
    } catch (error) {
      results.append(errorMessage(error));
    }
  }
  await load();
}
