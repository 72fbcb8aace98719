// The pages' router: #/route?query. Each page is a module whose render(main, route) builds it; the navigation and
// the pages offered follow the logged-in user's roles (the server refuses the rest anyway, with 403).
import { clear, h, message, errorMessage } from './dom.js';
import { endSession } from './api.js';
import { forget, user } from './session.js';
import * as login from './pages/login.js';
import * as patients from './pages/patients.js';
import * as chart from './pages/chart.js';
import * as viewer from './pages/viewer.js';
import * as predict from './pages/predict.js';
import * as research from './pages/research.js';
import * as audit from './pages/audit.js';
import * as alerts from './pages/alerts.js';
import * as admin from './pages/admin.js';
import * as imports from './pages/import.js';

const PAGES = [
  { pattern: /^\/patients$/, page: patients, roles: ['clinician', 'nurse'], nav: 'patients' },
  { pattern: /^\/patients\/([A-Za-z0-9.-]+)$/, page: chart, roles: ['clinician', 'nurse'], nav: 'patients' },
  { pattern: /^\/patients\/([A-Za-z0-9.-]+)\/images$/, page: viewer, roles: ['clinician', 'nurse'], nav: 'patients' },
  { pattern: /^\/patients\/([A-Za-z0-9.-]+)\/predict$/, page: predict, roles: ['clinician', 'nurse'], nav: 'patients' },
  { pattern: /^\/import$/, page: imports, roles: ['clinician'], nav: 'import' },
  { pattern: /^\/research$/, page: research, roles: ['researcher', 'clinician'], nav: 'research' },
  { pattern: /^\/audit$/, page: audit, roles: ['auditor'], nav: 'audit' },
  { pattern: /^\/alerts$/, page: alerts, roles: ['auditor'], nav: 'alerts' },
  { pattern: /^\/admin$/, page: admin, roles: ['admin'], nav: 'admin' },
];

const NAV = [
  { id: 'patients', text: 'Patients', href: '#/patients', roles: ['clinician', 'nurse'] },
  { id: 'import', text: 'Import', href: '#/import', roles: ['clinician'] },
  { id: 'research', text: 'Research', href: '#/research', roles: ['researcher', 'clinician'] },
  { id: 'audit', text: 'Audit trail', href: '#/audit', roles: ['auditor'] },
  { id: 'alerts', text: 'Alerts', href: '#/alerts', roles: ['auditor'] },
  { id: 'admin', text: 'Administration', href: '#/admin', roles: ['admin'] },
];

const ROLE_NAMES = { admin: 'administrator', clinician: 'clinician', nurse: 'nurse', researcher: 'researcher', auditor: 'auditor' };

function allowed(roles) {
  const current = user();
  return !!current && roles.some(role => current.roles.includes(role));
}

/** Where a user lands after login: the first page their roles offer. */
export function home() {
  const first = NAV.find(item => allowed(item.roles));
  return first ? first.href : '#/none';
}

function parseHash() {
  const hash = window.location.hash.replace(/^#/, '') || '/';
  const [path, query] = hash.split('?');
  return { path, query: new URLSearchParams(query || '') };
}

function renderChrome(active) {
  const current = user();
  const nav = document.getElementById('nav');
  const who = document.getElementById('who');
  if (!current) {
    clear(nav);
    who.hidden = true;
    return;
  }
  clear(nav, h('ul', {}, NAV.filter(item => allowed(item.roles)).map(item =>
    h('li', {}, h('a', { href: item.href, 'aria-current': item.id === active ? 'page' : null }, item.text)))));
  document.getElementById('who-name').textContent =
    `${current.name} (${current.roles.map(role => ROLE_NAMES[role] || role).join(', ') || 'no role'})`;
  who.hidden = false;
}

let cleanup = null;

async function route() {
  if (typeof cleanup === 'function') {
    cleanup();
  }
  cleanup = null;
  const main = document.getElementById('main');
  const { path, query } = parseHash();
  if (!user()) {
    renderChrome(null);
    clear(main);
    if (path === '/sso') {
      // Back from the hospital's identity provider: the server holds the session; ask it who this is.
      await login.completeSingleSignOn(main);
      return;
    }
    login.render(main, { query, next: path === '/login' || path === '/' ? null : window.location.hash });
    return;
  }
  if (path === '/' || path === '/login' || path === '/sso') {
    window.location.replace(home());
    return;
  }
  const match = PAGES.map(entry => ({ entry, groups: path.match(entry.pattern) })).find(m => m.groups);
  renderChrome(match ? match.entry.nav : null);
  clear(main);
  if (path === '/none') {
    main.append(h('h1', {}, 'No pages for your role'),
      message('info', 'Your account has no Panacea role that these pages serve. Ask an administrator.'));
    return;
  }
  if (!match) {
    main.append(h('h1', {}, 'Page not found'), message('warn', 'There is no such page.'),
      h('p', {}, h('a', { href: home() }, 'Go to your start page')));
    return;
  }
  if (!allowed(match.entry.roles)) {
    main.append(h('h1', {}, 'Not available for your role'),
      message('warn', `This page is for ${match.entry.roles.map(r => ROLE_NAMES[r]).join(' or ')} accounts only.`),
      h('p', {}, h('a', { href: home() }, 'Go to your start page')));
    return;
  }
  try {
    cleanup = await match.entry.page.render(main, { params: match.groups.slice(1), query });
  } catch (error) {
    main.append(errorMessage(error));
  }
  const heading = main.querySelector('h1');
  if (heading) {
    heading.setAttribute('tabindex', '-1');
    heading.focus({ preventScroll: true });
  }
}

document.getElementById('logout').addEventListener('click', async () => {
  await endSession();
  forget();
  window.location.hash = '#/login';
  route();
});

// A 401 from any call (password changed, session ended) brings the login page back.
window.addEventListener('panacea:logged-out', () => {
  if (!window.location.hash.startsWith('#/login')) {
    window.location.hash = '#/login';
  }
});

window.addEventListener('hashchange', route);
route();
