// The matching activity: five parts of the flow, each to be matched with what it does.
// Native <select>s keep it keyboard accessible; "Check" counts right pairings and names wrong ones.

/** @typedef {{ part: string, does: string }} Pair */

/**
 * Deterministic shuffle that never leaves the list in lesson order (so the activity is never solved
 * before it starts).
 * @param {string[]} items
 * @returns {string[]}
 */
export function shuffled(items) {
  const out = [...items];
  let seed = 7;
  for (let i = out.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    const j = seed % (i + 1);
    [out[i], out[j]] = /** @type {[string, string]} */ ([out[j], out[i]]);
  }
  if (out.length > 1 && out.every((v, i) => v === items[i])) out.push(/** @type {string} */ (out.shift()));
  return out;
}

/**
 * @param {Pair[]} pairs
 * @param {Record<string, string>} chosen part → chosen description
 * @returns {{ matched: number, wrong: string[] }}
 */
export function score(pairs, chosen) {
  let matched = 0;
  /** @type {string[]} */
  const wrong = [];
  for (const { part, does } of pairs) {
    const pick = chosen[part];
    if (!pick) continue;
    if (pick === does) matched++;
    else wrong.push(`${part} does not “${pick}”.`);
  }
  return { matched, wrong };
}

/**
 * @param {HTMLElement} mount
 * @param {Pair[]} pairs
 */
export function mountActivity(mount, pairs) {
  if (pairs.length === 0) return;
  const options = shuffled(pairs.map((p) => p.does));
  const form = document.createElement('form');
  form.className = 'match';
  form.setAttribute('aria-describedby', 'match-result');
  pairs.forEach((pair, i) => {
    const row = document.createElement('div');
    row.className = 'match-row';
    const label = document.createElement('label');
    label.htmlFor = `match-${i}`;
    label.textContent = pair.part;
    const select = document.createElement('select');
    select.id = `match-${i}`;
    select.name = pair.part;
    select.dataset['part'] = pair.part;
    select.append(new Option('Choose what it does…', ''));
    for (const text of options) select.append(new Option(text, text));
    row.append(label, select);
    form.append(row);
  });
  const button = document.createElement('button');
  button.type = 'submit';
  button.textContent = 'Check my matches';
  const result = document.createElement('p');
  result.id = 'match-result';
  result.className = 'match-result';
  result.setAttribute('aria-live', 'polite');
  form.append(button, result);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    /** @type {Record<string, string>} */
    const chosen = {};
    for (const select of form.querySelectorAll('select')) {
      chosen[select.dataset['part'] ?? ''] = select.value;
      const pair = pairs.find((p) => p.part === select.dataset['part']);
      select.dataset['state'] = !select.value ? 'empty' : select.value === pair?.does ? 'right' : 'wrong';
    }
    const { matched, wrong } = score(pairs, chosen);
    result.textContent =
      `${matched} of ${pairs.length} matched.` + (wrong.length ? ' ' + wrong.join(' ') : '');
    result.dataset['matched'] = String(matched);
  });
  mount.replaceChildren(form);
}
