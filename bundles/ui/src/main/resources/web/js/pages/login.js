// The login page: the only page that loads without credentials. The password is checked by the server (GET
// /api/session), which also says which roles the user has.
import { ApiError, getJson } from '../api.js';
import { clear, field, h, message, setTitle } from '../dom.js';
import { encode, forget, remember } from '../session.js';
import { home } from '../app.js';

export function render(main, { next }) {
  setTitle('Log in');
  const userName = field('User name', { name: 'username', autocomplete: 'username', required: true, autocapitalize: 'none', spellcheck: 'false' });
  const password = field('Password', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const feedback = h('div', { 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit' }, 'Log in');
  const form = h('form', { class: 'card login', novalidate: true },
    h('h1', {}, 'Log in to Panacea'),
    h('p', { class: 'muted' }, 'Use your hospital account. What you see depends on your role.'),
    userName.element, password.element, feedback, h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', async event => {
    event.preventDefault();
    clear(feedback);
    if (!userName.input.value.trim() || !password.input.value) {
      feedback.append(message('error', 'Enter your user name and your password.'));
      (userName.input.value.trim() ? password.input : userName.input).focus();
      return;
    }
    submit.disabled = true;
    const encoded = encode(userName.input.value.trim(), password.input.value);
    try {
      const who = await getJson('/api/session', { what: 'log in', login: encoded });
      remember(encoded, who);
      password.input.value = '';
      window.location.hash = next && !next.startsWith('#/login') ? next : home();
    } catch (error) {
      forget();
      const text = error instanceof ApiError && error.status === 401
        ? 'The user name or the password is wrong.' : error.message;
      feedback.append(message('error', text));
      password.input.select();
      password.input.focus();
    } finally {
      submit.disabled = false;
    }
  });
  clear(main, form);
  userName.input.focus();
}
