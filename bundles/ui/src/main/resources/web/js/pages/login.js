// The login page: the only page that loads without credentials. The password is checked by the server (GET
// /api/session), which also says which roles the user has. When the server is configured for single sign-on, a
// button sends the browser to the hospital's identity provider instead (GET /login/oidc); it comes back to #/sso.
import { ApiError, getJson } from '../api.js';
import { clear, field, h, message, setTitle } from '../dom.js';
import { SINGLE_SIGN_ON, encode, forget, remember } from '../session.js';
import { home } from '../app.js';

/** Back from the identity provider: the server set the session cookie; it says who logged in. */
export async function completeSingleSignOn(main) {
  setTitle('Log in');
  clear(main, h('p', { class: 'muted' }, 'Signing you in…'));
  try {
    const who = await getJson('/api/session', { what: 'log in', login: SINGLE_SIGN_ON });
    remember(SINGLE_SIGN_ON, who);
    window.location.replace(home());
  } catch (error) {
    forget();
    window.location.replace('#/login?sso_error=' + encodeURIComponent(error.message));
  }
}

/** The "Sign in with the hospital's account" button, shown only when the server has single sign-on configured. */
async function singleSignOnButton(form) {
  try {
    const options = await getJson('/login/oidc/options', { what: 'check single sign-on' });
    if (options.enabled) {
      form.append(h('div', { class: 'actions' },
        h('a', { class: 'button', href: '/login/oidc' }, "Sign in with the hospital's account")));
    }
  } catch (ignored) {
    // no single sign-on: the password form is the way in
  }
}

export function render(main, { query, next }) {
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
  const refused = query && query.get('sso_error');
  if (refused) {
    // The server's reason, as text (never markup): the identity provider's login did not complete.
    feedback.append(message('error', `Single sign-on did not complete: ${refused}`));
  }
  clear(main, form);
  singleSignOnButton(form);
  userName.input.focus();
}
