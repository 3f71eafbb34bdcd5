/**
 * The page: the dashboard (file list + refresh) and the upload form, wired to the DOM
 * conventions the checker relies on (docs/contracts.md).
 */
import { fetchFiles, LabError, requestTicket } from './api.js';
import { renderFiles } from './files.js';
import { checkFile, postToS3 } from './upload.js';

/**
 * @template {Element} T
 * @param {string} selector
 * @param {{ new (): T, prototype: T }} type
 * @returns {T}
 */
function element(selector, type) {
  const found = document.querySelector(selector);
  if (!(found instanceof type)) throw new Error(`index.html has no ${selector}`);
  return found;
}

const form = element('form[data-lab="upload-form"]', HTMLFormElement);
const input = element('form[data-lab="upload-form"] input[type="file"]', HTMLInputElement);
const submit = element('form[data-lab="upload-form"] button[type="submit"]', HTMLButtonElement);
const progress = element('[data-lab="upload-progress"]', HTMLProgressElement);
const status = element('[data-lab="upload-status"]', HTMLElement);
const list = element('[data-lab="file-list"]', HTMLUListElement);
const refresh = element('[data-lab="refresh"]', HTMLButtonElement);
const filesStatus = element('[data-lab="files-status"]', HTMLElement);

/** @param {unknown} err */
function messageOf(err) {
  return err instanceof Error ? err.message : String(err);
}

/** @param {number} ms */
function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * The upload result: `data-state` is set only once the outcome is known.
 * @param {'ok' | 'error' | undefined} state
 * @param {string} text
 * @param {string} [objectKey]
 */
function setStatus(state, text, objectKey) {
  status.textContent = text;
  if (state) status.dataset.state = state;
  else delete status.dataset.state;
  if (objectKey) status.dataset.objectKey = objectKey;
  else delete status.dataset.objectKey;
}

/** Loads the list; the files, or `undefined` when loading failed (the reason is shown). */
async function loadFiles() {
  refresh.disabled = true;
  list.setAttribute('aria-busy', 'true');
  try {
    const files = await fetchFiles();
    renderFiles(list, files);
    filesStatus.textContent = files.length
      ? `${files.length} file(s), newest first.`
      : 'No files yet. Upload one above.';
    delete filesStatus.dataset.state;
    return files;
  } catch (err) {
    filesStatus.textContent = messageOf(err);
    filesStatus.dataset.state = 'error';
    return undefined;
  } finally {
    refresh.disabled = false;
    list.removeAttribute('aria-busy');
  }
}

/** The pipeline runs after the upload, asynchronously: look a few times until the file is listed. */
async function refreshUntilListed(/** @type {string} */ key) {
  for (const delay of [500, 1000, 2000, 3000, 4000, 5000]) {
    await sleep(delay);
    const files = await loadFiles();
    if (files?.some((file) => file.key === key)) return;
  }
  filesStatus.textContent =
    'Your file is stored, but the list has not caught up yet. Press Refresh in a moment.';
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  submit.disabled = true;
  progress.hidden = true;
  progress.value = 0;
  try {
    const file = checkFile(input.files?.[0]);
    setStatus(undefined, `Asking for an upload ticket for ${file.name}…`);
    const ticket = await requestTicket(file);
    setStatus(undefined, `Uploading ${file.name}…`);
    progress.hidden = false;
    await postToS3(ticket, file, (fraction) => {
      progress.value = Math.round(fraction * 100);
    });
    progress.value = 100;
    setStatus('ok', `Uploaded ${file.name}. Stored as ${ticket.object_key}.`, ticket.object_key);
    form.reset();
    void refreshUntilListed(ticket.object_key);
  } catch (err) {
    progress.hidden = true;
    setStatus('error', messageOf(err));
    if (!(err instanceof LabError)) console.error(err);
  } finally {
    submit.disabled = false;
  }
});

refresh.addEventListener('click', () => void loadFiles());
void loadFiles();
