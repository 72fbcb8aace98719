// Small helpers to build the pages: elements, messages, tables, the busy indicator, formatting.
import { ApiError } from './api.js';

/** h('p', {class: 'x'}, 'text', child, ...): an element; attributes starting with "on" become listeners. */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.substring(2), value);
    } else if (name === 'class') {
      element.className = value;
    } else if (value === true) {
      element.setAttribute(name, '');
    } else {
      element.setAttribute(name, String(value));
    }
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) {
      continue;
    }
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function clear(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

let ids = 0;
/** A fresh id for label/input pairs. */
export function uid(prefix = 'f') {
  ids += 1;
  return `${prefix}-${ids}`;
}

/** A labelled input: field('Family name', {name: 'family'}, 'hint'). */
export function field(labelText, inputAttributes = {}, hint = '', tag = 'input') {
  const id = inputAttributes.id || uid();
  const hintId = hint ? `${id}-hint` : null;
  const input = h(tag, { ...inputAttributes, id, 'aria-describedby': hintId });
  return {
    input,
    element: h('div', { class: 'field' },
      h('label', { for: id }, labelText, hint ? h('span', { class: 'hint', id: hintId }, hint) : null),
      input),
  };
}

export function selectField(labelText, name, options, selected, hint = '') {
  const select = field(labelText, { name }, hint, 'select');
  for (const option of options) {
    const [value, text] = Array.isArray(option) ? option : [option, option];
    select.input.append(h('option', { value, selected: String(value) === String(selected) }, text));
  }
  return select;
}

/** A message box: kind is error, ok, warn or info. Errors are announced to screen readers at once. */
export function message(kind, text, detail) {
  return h('div', { class: `message ${kind}`, role: kind === 'error' ? 'alert' : 'status' },
    h('p', {}, text),
    detail ? h('details', {}, h('summary', {}, 'Details from the server'), h('p', {}, detail)) : null);
}

/** The message for anything thrown while loading or acting. */
export function errorMessage(error) {
  if (error instanceof ApiError) {
    return message('error', error.message, error.status === 403 ? error.detail : null);
  }
  console.error(error); // for developers; the user gets a sentence
  return message('error', 'Something went wrong in this page. Reload it and try again.');
}

/** A table with a caption and header cells; rows are arrays of cells (strings, nodes, or {value, class}). */
export function table(captionText, headers, rows, { numeric = [], hiddenCaption = false } = {}) {
  return h('div', { class: 'table-wrap' },
    h('table', {},
      h('caption', { class: hiddenCaption ? 'sr-only' : null }, captionText),
      h('thead', {}, h('tr', {}, headers.map((header, i) =>
        h('th', { scope: 'col', class: numeric.includes(i) ? 'num' : null }, header)))),
      h('tbody', {}, rows.map(row => (row instanceof Node ? row : h('tr', {}, row.map((cell, i) =>
        h('td', { class: numeric.includes(i) ? 'num' : null }, cell))))))));
}

const busyBox = () => document.getElementById('busy');
let busyCount = 0;

/**
 * Shows "label… n s" while `work` runs (the elapsed time ticks every second) and disables `button`, so that long
 * work (an algorithm run, an import, an analysis) never looks frozen.
 */
export async function busy(label, work, button) {
  const box = busyBox();
  const text = document.getElementById('busy-text');
  const started = performance.now();
  busyCount += 1;
  box.hidden = false;
  const tick = () => {
    // label may be a function, for work that reports how far it got ("file 2 of 5")
    text.textContent = `${typeof label === 'function' ? label() : label}… ${Math.floor((performance.now() - started) / 1000)} s`;
  };
  tick();
  const timer = setInterval(tick, 1000);
  if (button) {
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
  }
  try {
    return await work();
  } finally {
    clearInterval(timer);
    busyCount -= 1;
    if (busyCount === 0) {
      box.hidden = true;
    }
    if (button) {
      button.disabled = false;
      button.removeAttribute('aria-busy');
    }
  }
}

export function formatDate(value) {
  if (!value) {
    return '';
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    return value;
  }
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toISOString().replace('T', ' ').substring(0, 16);
}

export function formatNumber(value, digits = 3) {
  if (value === null || value === undefined || value === '') {
    return '–';
  }
  if (typeof value !== 'number') {
    return String(value);
  }
  if (value !== 0 && (Math.abs(value) >= 1e6 || Math.abs(value) < 1e-3)) {
    return value.toExponential(2);
  }
  return Number(value.toPrecision(digits)).toString();
}

export function formatP(p) {
  if (p === null || p === undefined) {
    return '–';
  }
  return p < 0.001 ? '< 0.001' : p.toFixed(3);
}

/** The display text of a FHIR CodeableConcept. */
export function conceptText(concept) {
  if (!concept) {
    return '';
  }
  const coding = (concept.coding || [])[0] || {};
  return concept.text || coding.display || coding.code || '';
}

export function patientName(patient) {
  const name = (patient.name || [])[0] || {};
  const given = (name.given || []).join(' ');
  return [name.family, given].filter(Boolean).join(', ') || '(no name)';
}

export function setTitle(text) {
  document.title = `${text} – Panacea`;
}
