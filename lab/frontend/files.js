/** The dashboard list: one `li[data-key]` per file, newest first (the API's order). */

/** @typedef {import('./api.js').FileRecord} FileRecord */

/** @param {number} bytes */
export function formatBytes(bytes) {
  if (!Number.isFinite(bytes) || bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** @param {string} iso */
function formatTime(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.valueOf()) ? iso : date.toLocaleString();
}

/**
 * Replaces the list's items. Text goes in with textContent only: names come from users.
 * @param {HTMLUListElement} list
 * @param {FileRecord[]} files
 */
export function renderFiles(list, files) {
  list.replaceChildren(
    ...files.map((file) => {
      const item = document.createElement('li');
      item.dataset.key = file.key;
      const name = document.createElement('span');
      name.className = 'file-name';
      name.textContent = file.name;
      name.title = file.key;
      const meta = document.createElement('span');
      meta.className = 'file-meta';
      meta.textContent = `${formatBytes(file.size)} · ${file.contentType}`;
      const time = document.createElement('time');
      time.dateTime = file.uploadedAt;
      time.textContent = formatTime(file.uploadedAt);
      item.append(name, meta, time);
      return item;
    }),
  );
}
