// Who is logged in. The credentials live in sessionStorage only: they are gone when the tab closes, and every API
// call sends them as HTTP Basic (the server remembers a login for a minute, so the password is not checked each time).
const CREDENTIALS = 'panacea.credentials';
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
