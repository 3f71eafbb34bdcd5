/**
 * Talking to the lab's HTTP API: the base URL from config.js, the upload ticket, the file list.
 * Every failure becomes a LabError whose message says what went wrong and what to change.
 */

/**
 * @typedef {{ url: string, fields: Record<string, string> }} UploadForm
 * @typedef {{ upload: UploadForm, object_key: string, bucket: string, expires_in: number, max_bytes: number }} Ticket
 * @typedef {{ key: string, name: string, size: number, contentType: string, etag: string, uploadedAt: string }} FileRecord
 */

export class LabError extends Error {
  /**
   * @param {string} code a stable code, e.g. TICKET_REFUSED, CORS_BLOCKED, S3_REFUSED
   * @param {string} message what happened and what to change
   */
  constructor(code, message) {
    super(message);
    this.name = 'LabError';
    this.code = code;
  }
}

/** The API base URL from config.js (`window.LAB_CONFIG.apiBaseUrl`), without a trailing slash. */
export function apiBaseUrl() {
  const holder = /** @type {{ LAB_CONFIG?: { apiBaseUrl?: unknown } }} */ (/** @type {unknown} */ (window));
  const url = holder.LAB_CONFIG?.apiBaseUrl;
  if (typeof url !== 'string' || url === '' || url.includes('REPLACE-WITH')) {
    throw new LabError(
      'CONFIG',
      'config.js does not name your API yet. Set window.LAB_CONFIG.apiBaseUrl to the HTTP API invoke URL ' +
        '(npm run site does this for you).',
    );
  }
  return url.replace(/\/+$/, '');
}

/**
 * A fetch that turns the browser's opaque network failure into a CORS explanation.
 * @param {string} what e.g. "POST /upload-url"
 * @param {string} url
 * @param {RequestInit} init
 */
async function callApi(what, url, init) {
  try {
    return await fetch(url, init);
  } catch {
    throw new LabError(
      'CORS_BLOCKED',
      `The browser blocked ${what} (${url}). The API's CORS settings most likely do not allow this origin ` +
        `(${location.origin}): its AllowOrigins, AllowMethods and AllowHeaders must cover this request. ` +
        '(The same message appears when the API cannot be reached at all.)',
    );
  }
}

/**
 * The API's own error text: `{error, code}` from our functions, `{message}` from API Gateway.
 * @param {Response} response
 */
async function apiErrorText(response) {
  const text = await response.text();
  try {
    const body = /** @type {{ error?: unknown, code?: unknown, message?: unknown }} */ (JSON.parse(text));
    if (typeof body.error === 'string')
      return typeof body.code === 'string' ? `${body.error} (${body.code})` : body.error;
    if (typeof body.message === 'string') return body.message;
  } catch {
    // not JSON: fall through to the raw text
  }
  return text.slice(0, 200) || response.statusText;
}

/**
 * Asks the API for an upload ticket for `file`.
 * @param {File} file
 * @returns {Promise<Ticket>}
 */
export async function requestTicket(file) {
  const url = `${apiBaseUrl()}/upload-url`;
  const response = await callApi('POST /upload-url', url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ filename: file.name, contentType: file.type, size: file.size }),
  });
  if (!response.ok) {
    const detail = await apiErrorText(response);
    const hint = response.status === 404 ? ' Does the API have the route POST /upload-url?' : '';
    throw new LabError(
      'TICKET_REFUSED',
      `The API refused the upload ticket (HTTP ${response.status}): ${detail}.${hint}`,
    );
  }
  const ticket = /** @type {Ticket} */ (await response.json());
  if (typeof ticket?.upload?.url !== 'string' || typeof ticket.object_key !== 'string') {
    throw new LabError(
      'TICKET_INVALID',
      'The API answered, but not with {upload: {url, fields}, object_key}.',
    );
  }
  return ticket;
}

/**
 * The newest files, from `GET /files`.
 * @param {number} [limit]
 * @returns {Promise<FileRecord[]>}
 */
export async function fetchFiles(limit = 50) {
  const url = `${apiBaseUrl()}/files?limit=${limit}`;
  const response = await callApi('GET /files', url, { headers: { accept: 'application/json' } });
  if (!response.ok) {
    throw new LabError(
      'LIST_FAILED',
      `Could not load the file list (HTTP ${response.status}): ${await apiErrorText(response)}.`,
    );
  }
  const body = /** @type {{ files?: FileRecord[] }} */ (await response.json());
  return Array.isArray(body.files) ? body.files : [];
}
