// Who is logged in. The credentials live in sessionStorage only: they are gone when the tab closes, and every API
// call sends them as HTTP Basic (the server remembers a login for a minute, so the password is not checked each time).
// After a login through the hospital's identity provider there are no credentials here at all: the server keeps the
// tokens and the browser an HttpOnly session cookie, which scripts cannot read; SINGLE_SIGN_ON marks that case.
const CREDENTIALS = 'panacea.credentials';

/** Stored in place of credentials after a single sign-on: the API calls then send the session cookie. */
export const SINGLE_SIGN_ON = 'single-sign-on';
const USER = 'panacea.user';

export function credentials() {
  return sessionStorage.getItem(CREDENTIALS);
}

export function user() {
  const stored = sessionStorage.getItem(USER);
  return stored ? JSON.parse(stored) : null;
}

export function hasRole(role) {
  const current = user();
  return !!current && current.roles.includes(role);
}

export function remember(encodedCredentials, who) {
  sessionStorage.setItem(CREDENTIALS, encodedCredentials);
  sessionStorage.setItem(USER, JSON.stringify(who));
}

export function forget() {
  sessionStorage.removeItem(CREDENTIALS);
  sessionStorage.removeItem(USER);
}

/** HTTP Basic encoding of user:password, UTF-8 (btoa alone accepts Latin-1 only). */
export function encode(userName, password) {
  const bytes = new TextEncoder().encode(`${userName}:${password}`);
  let binary = '';
  bytes.forEach(b => { binary += String.fromCharCode(b); });
  return btoa(binary);
}
