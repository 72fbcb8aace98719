// Every call to Panacea's HTTP API goes through here: credentials, the header that keeps the browser's own login
// dialog away, and errors turned into sentences a clinician can act on (never raw JSON).
import { SINGLE_SIGN_ON, credentials, forget, user } from './session.js';

export class ApiError extends Error {
  constructor(status, message, detail) {
    super(message);
    this.status = status;
    this.detail = detail || '';
  }
}

const ROLE_WORDS = {
  admin: 'administrator', clinician: 'clinician', nurse: 'nurse', researcher: 'researcher', auditor: 'auditor',
};

function roleText() {
  const current = user();
  if (!current || current.roles.length === 0) {
    return 'your account';
  }
  return 'the role ' + current.roles.map(r => ROLE_WORDS[r] || r).join(' and ');
}

/** The server's own words (OperationOutcome diagnostics), or '' when the body is not one. */
async function diagnostics(response) {
  try {
    const body = await response.json();
    if (body && body.resourceType === 'OperationOutcome' && Array.isArray(body.issue)) {
      return body.issue.map(issue => issue.diagnostics || issue.code).filter(Boolean).join('; ');
    }
    if (body && body['00081198']) {
      // A STOW-RS store response (PS3.18) that stored nothing: each failure's reason in words.
      return storeFailures(body).join('; ');
    }
  } catch (ignored) {
    // not JSON: the status alone says enough
  }
  return '';
}

/** The value of a DICOM JSON attribute (`tag` as eight hex digits), or undefined. */
export function dicomValue(dataset, tag) {
  const attribute = dataset && dataset[tag];
  return attribute && Array.isArray(attribute.Value) ? attribute.Value[0] : undefined;
}

/** The reasons, in words, of the failed instances of a STOW-RS store response. */
export function storeFailures(response) {
  return ((response['00081198'] || {}).Value || []).map(item => dicomValue(item, '00091017')
    || `failure reason ${(dicomValue(item, '00081197') || 0).toString(16).toUpperCase()}`);
}

/** A plain-language message for a failed call; `what` names the action, e.g. "open this patient's chart". */
export function explain(status, detail, what) {
  switch (status) {
    case 400:
    case 422:
      return `This could not be done: ${detail || 'the request was not accepted'}.`;
    case 401:
      return 'You are no longer logged in (or the password was changed). Please log in again.';
    case 403:
      if (detail && detail.startsWith('no care relationship')) {
        // Care-relationship access: the role may read charts, but not this patient's without a reason.
        return detail.includes('consent')
          ? 'You have no care relationship with this patient that their consent allows: the patient has refused '
            + 'sharing their chart with you. The attempt has been recorded in the audit trail.'
          : 'You have no care relationship with this patient (no care team, current encounter or department '
            + 'rule relates you to them). The attempt has been recorded in the audit trail.';
      }
      return `Your account is not allowed to ${what || 'do this'}: ${roleText()} does not permit it. `
        + 'The attempt has been recorded in the audit trail. Ask an administrator if you need this access.';
    case 404:
      return `Not found: ${detail || 'it may have been removed, or the service that provides it is not installed'}.`;
    case 410:
      return `This record was deleted: ${detail || 'its earlier versions remain in its history'}.`;
    case 409:
    case 412:
    case 428:
      return 'Someone else changed this record meanwhile. Reload the page and try again; nothing was overwritten.';
    case 413:
      return `That is too large for the server: ${detail}`;
    case 415:
      return `The server did not accept this kind of file: ${detail}`;
    case 503:
      return 'The system is busy or cannot record this access in the audit trail right now, so nothing was done. '
        + 'Please try again in a moment.';
    case 504:
      return 'This took longer than the time allowed and was stopped. Nothing was stored.';
    case 0:
      return 'The server cannot be reached. Check the network connection and try again.';
    default:
      return 'Something went wrong on the server and nothing was changed. '
        + 'The administrators can find the details in the server log.';
  }
}

async function call(method, path, { body, contentType, accept, what, signal, login, extraHeaders } = {}) {
  const headers = { 'X-Requested-With': 'XMLHttpRequest', ...(extraHeaders || {}) };
  // `login` is tried credentials (the login page); otherwise the session's own.
  const encoded = login || credentials();
  // A single sign-on session is the server's HttpOnly cookie, sent only to this origin (and only counted by the
  // server with the X-Requested-With header above, which another site's form cannot add).
  const cookieSession = encoded === SINGLE_SIGN_ON;
  if (encoded && !cookieSession) {
    headers.Authorization = 'Basic ' + encoded;
  }
  if (contentType) {
    headers['Content-Type'] = contentType;
  }
  headers.Accept = accept || 'application/fhir+json, application/json';
  let response;
  try {
    response = await fetch(path, {
      method, headers, body, signal, cache: 'no-store', credentials: cookieSession ? 'same-origin' : 'omit',
    });
  } catch (networkError) {
    if (networkError.name === 'AbortError') {
      throw networkError;
    }
    throw new ApiError(0, explain(0, '', what));
  }
  if (!response.ok) {
    const detail = await diagnostics(response);
    if (response.status === 401 && encoded && !login) {
      forget();
      window.dispatchEvent(new CustomEvent('panacea:logged-out'));
    }
    throw new ApiError(response.status, explain(response.status, detail, what), detail);
  }
  return response;
}

export async function getJson(path, options = {}) {
  return (await call('GET', path, options)).json();
}

export async function postJson(path, value, options = {}) {
  const response = await call('POST', path, { ...options, body: JSON.stringify(value), contentType: 'application/json' });
  return response.json();
}

export async function postBody(path, body, contentType, options = {}) {
  const response = await call('POST', path, { ...options, body, contentType });
  return response.json();
}

/** An image fetched with credentials, as an object URL for <img> or a canvas (revoke it when done). */
export async function getImage(path, options = {}) {
  const response = await call('GET', path, { ...options, accept: 'image/png' });
  return URL.createObjectURL(await response.blob());
}

/**
 * The samples of one frame by WADO-RS (`…/frames/{n}`): the body of the first part of the multipart/related answer,
 * as an ArrayBuffer (real-valued images, such as an explanation's sensitivity map, are little-endian 32-bit floats).
 */
export async function getFrameSamples(path, options = {}) {
  const response = await call('GET', path, { ...options, accept: 'multipart/related; type="application/octet-stream"' });
  const boundary = /boundary="?([^";]+)"?/.exec(response.headers.get('Content-Type') || '');
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (!boundary) {
    throw new ApiError(500, explain(500, '', options.what));
  }
  // The part's body starts after its headers' blank line and ends before the CRLF that precedes the next boundary.
  const start = indexOf(bytes, [13, 10, 13, 10], 0) + 4;
  const end = indexOf(bytes, [...new TextEncoder().encode(`\r\n--${boundary[1]}`)], start);
  if (start < 4 || end < 0) {
    throw new ApiError(500, explain(500, '', options.what));
  }
  return bytes.slice(start, end).buffer;
}

function indexOf(bytes, pattern, from) {
  outer: for (let i = from; i <= bytes.length - pattern.length; i++) {
    for (let j = 0; j < pattern.length; j++) {
      if (bytes[i + j] !== pattern[j]) {
        continue outer;
      }
    }
    return i;
  }
  return -1;
}

/** Every entry of a FHIR searchset, following `next` links up to `limit` resources. */
export async function searchAll(type, parameters, { limit = 1000, what } = {}) {
  const query = new URLSearchParams({ ...parameters, _count: String(Math.min(limit, 200)) });
  let path = `/fhir/${type}?${query}`;
  const resources = [];
  let total = 0;
  while (path && resources.length < limit) {
    const bundle = await getJson(path, { what });
    total = bundle.total ?? total;
    (bundle.entry || []).forEach(entry => resources.push(entry.resource));
    const next = (bundle.link || []).find(link => link.relation === 'next');
    path = next ? relative(next.url) : null;
  }
  return { resources, total };
}

/** The server writes absolute links with its own host name; follow them on the origin the page came from. */
function relative(url) {
  const parsed = new URL(url, window.location.origin);
  return parsed.pathname + parsed.search;
}

/** Ends a single sign-on session on the server (its tokens are dropped there); nothing to do after a password login. */
export async function endSession() {
  if (credentials() === SINGLE_SIGN_ON) {
    try {
      await call('POST', '/login/oidc/logout', { what: 'log out' });
    } catch (ignored) {
      // the session is forgotten here either way; the server's ends with its access token
    }
  }
}
