// Forms generated from a plugin's parameter schema (GET /api/algorithms, GET /api/models): one labelled control per
// parameter, with its description, unit, range and default, and the browser's own validation of ranges.
import { field, h, uid } from './dom.js';

function hintText(spec) {
  const parts = [];
  if (spec.description) {
    parts.push(spec.description);
  }
  if (spec.accepts) {
    parts.push(`Accepts ${spec.accepts}.`);
  }
  if (spec.default !== null && spec.default !== undefined && spec.default !== '') {
    parts.push(`Default ${spec.default}${spec.unit ? ` ${spec.unit}` : ''}.`);
  }
  return parts.join(' ');
}

/**
 * @param specs      the parameter list of a plugin
 * @param options    {prefill: name -> value, optionalBlank: true to leave blank fields out (model inputs come from the record)}
 * @returns {element, values()} where values() gives the typed values by name, leaving out blank optional ones
 */
export function parameterForm(specs, { prefill = {}, optionalBlank = false, blankHint = '' } = {}) {
  const controls = [];
  const element = h('div', { class: 'fields' });
  for (const spec of specs) {
    const label = spec.unit ? `${spec.name} (${spec.unit})` : spec.name;
    const initial = prefill[spec.name] ?? (optionalBlank ? '' : spec.default ?? '');
    const hint = [hintText(spec), optionalBlank && blankHint ? blankHint : ''].filter(Boolean).join(' ');
    let control;
    if (spec.type === 'choice' && Array.isArray(spec.choices)) {
      const id = uid('p');
      const select = h('select', { id, name: spec.name, 'aria-describedby': `${id}-hint` },
        optionalBlank || !spec.required ? h('option', { value: '' }, optionalBlank ? '(from the record)' : '(default)') : null,
        spec.choices.map(choice => h('option', { value: choice, selected: String(choice) === String(initial) }, choice)));
      control = { input: select, element: h('div', { class: 'field' },
        h('label', { for: id }, label, h('span', { class: 'hint', id: `${id}-hint` }, hint)), select) };
    } else if (spec.type === 'boolean') {
      const id = uid('p');
      const input = h('input', { id, type: 'checkbox', name: spec.name, checked: initial === true || initial === 'true', 'aria-describedby': `${id}-hint` });
      control = { input, element: h('div', { class: 'field' },
        h('label', { class: 'check', for: id }, input, label), h('span', { class: 'hint', id: `${id}-hint` }, hint)) };
    } else if (spec.type === 'integer' || spec.type === 'decimal') {
      control = field(label, {
        name: spec.name, type: 'number', inputmode: spec.type === 'integer' ? 'numeric' : 'decimal',
        step: spec.type === 'integer' ? '1' : 'any',
        min: spec.minimum ?? null, max: spec.maximum ?? null,
        value: initial === null ? '' : String(initial),
        required: spec.required && !optionalBlank,
      }, hint);
    } else {
      control = field(label, { name: spec.name, value: initial === null ? '' : String(initial), required: spec.required && !optionalBlank }, hint);
    }
    controls.push({ spec, input: control.input });
    element.append(control.element);
  }
  return {
    element,
    /** Typed values; reports the first invalid control (the browser says why) and returns null then. */
    values() {
      const values = {};
      for (const { spec, input } of controls) {
        if (!input.checkValidity()) {
          input.reportValidity();
          input.focus();
          return null;
        }
        if (spec.type === 'boolean') {
          values[spec.name] = input.checked;
        } else if (input.value !== '') {
          values[spec.name] = spec.type === 'integer' || spec.type === 'decimal' ? Number(input.value) : input.value;
        }
      }
      return values;
    },
  };
}
