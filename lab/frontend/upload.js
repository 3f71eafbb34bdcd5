/**
 * The browser half of a presigned POST: check the file, then post it straight to S3 with the
 * ticket's form fields, reporting progress.
 */
import { LabError } from './api.js';

/** @typedef {import('./api.js').Ticket} Ticket */

/** The same limit the upload-ticket function enforces by default (MAX_UPLOAD_BYTES). */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

/**
 * Refuses a file before asking for a ticket, so the student sees the reason at once.
 * @param {File | undefined} file
 * @returns {File}
 */
export function checkFile(file) {
  if (!file) throw new LabError('NO_FILE', 'Choose a file first.');
  if (file.size === 0) throw new LabError('EMPTY_FILE', `${file.name} is empty; choose a file with content.`);
  if (file.size > MAX_UPLOAD_BYTES) {
    throw new LabError(
      'FILE_TOO_LARGE',
      `${file.name} is ${formatMiB(file.size)}; the limit is ${formatMiB(MAX_UPLOAD_BYTES)}.`,
    );
  }
  return file;
}

/** @param {number} bytes */
function formatMiB(bytes) {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** What the usual S3 refusals mean for this lab. */
const S3_HINTS = /** @type {Record<string, string>} */ ({
  AccessDenied:
    'Either the role that signed the ticket may not s3:PutObject on this key, or the form no longer matches the ' +
    'ticket (a changed field, or an expired ticket).',
  EntityTooLarge: 'The file is bigger than the ticket allows.',
  EntityTooSmall: 'The file is empty.',
  SignatureDoesNotMatch:
    'The form fields were changed after signing; send them exactly as the ticket gives them.',
  InvalidAccessKeyId: 'The ticket was signed with credentials S3 does not know.',
  ExpiredToken: 'The credentials that signed the ticket have expired; ask for a new ticket.',
});

/**
 * Turns an S3 error answer (XML `<Error><Code>…</Code><Message>…</Message></Error>`) into a LabError.
 * @param {number} status
 * @param {string} body
 */
export function s3Refusal(status, body) {
  const doc = new DOMParser().parseFromString(body, 'application/xml');
  const code = doc.querySelector('Error > Code')?.textContent?.trim() || `HTTP ${status}`;
  const message = doc.querySelector('Error > Message')?.textContent?.trim() ?? '';
  const hint = S3_HINTS[code] ?? '';
  const text = `S3 refused the upload (${code}). ${message} ${hint}`;
  return new LabError('S3_REFUSED', text.replace(/\s+/g, ' ').trim());
}

/**
 * The error for an XHR that failed without an answer the page may read (status 0). An upload with
 * progress listeners is preceded by a CORS preflight, so when the bucket's CORS refuses it the
 * browser sends nothing at all.
 * @param {string} url
 */
export function uploadBlocked(url) {
  return new LabError(
    'CORS_BLOCKED',
    `The browser blocked the upload POST to ${url}. The bucket's CORS settings most likely do not allow ` +
      `this origin (${location.origin}) to POST: it needs a rule with AllowedOrigins ${location.origin} ` +
      'and AllowedMethods POST. (The same message appears when the bucket cannot be reached at all.)',
  );
}

/**
 * Posts `file` to S3 with the ticket's form: every ticket field first, the file last (S3 ignores
 * fields after the file). XMLHttpRequest rather than fetch, for upload progress.
 * @param {Ticket} ticket
 * @param {File} file
 * @param {(fraction: number) => void} onProgress
 * @returns {Promise<void>}
 */
export function postToS3(ticket, file, onProgress) {
  // TODO(browser-upload): post the file straight to S3 with the ticket.
  //   1. Build a FormData: append every entry of ticket.upload.fields first, in order, then the file
  //      last under the name "file" (S3 ignores form fields that come after the file).
  //   2. POST it to ticket.upload.url with an XMLHttpRequest; its xhr.upload "progress" events give
  //      onProgress(event.loaded / event.total).
  //   3. Resolve on a 2xx status. On another status reject with s3Refusal(xhr.status, xhr.responseText);
  //      on the "error" event (status 0: the browser hid the answer) reject with uploadBlocked(url).
  // Then delete the two lines below.
  void [ticket, file, onProgress]; // keeps this stub type-checked and linted
  return Promise.reject(
    new Error('TODO(browser-upload): post the file to S3 in upload.js, see LAB.md Part 6'),
  );
  // END TODO
}
