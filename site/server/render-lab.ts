import { readFile } from 'node:fs/promises';
import { Marked, type Tokens } from 'marked';

/** One pair of the matching activity, in the lesson's order. */
export interface MatchPair {
  part: string;
  does: string;
}

export interface RenderedLab {
  title: string;
  /** The lesson as HTML, the matching table replaced by the activity's mount point. */
  html: string;
  /** Headings for the table of contents. */
  toc: Array<{ id: string; text: string; depth: number }>;
  pairs: MatchPair[];
}

const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/<[^>]+>/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/** What the page says above the activity (LAB.md's own sentence is about the table it shows). */
const ACTIVITY_INTRO =
  '<p>Match each part of the system with what it does in an upload: choose an answer for each part, then press Check.</p>';

/**
 * Renders LAB.md for the lab page: headings get ids, links to repo files stay text, the table
 * under "Matching activity" becomes the interactive activity (its rows are returned as data), and,
 * given `flow`, the text drawing of the flow under "The idea" is shown as that figure (the text
 * stays one click away: an ASCII drawing cannot be read on a phone).
 */
export function renderLab(markdown: string, { flow }: { flow?: string } = {}): RenderedLab {
  const toc: RenderedLab['toc'] = [];
  const pairs: MatchPair[] = [];
  let title = 'Presigned Upload Lab';
  let inActivity = false;
  let inIdea = false;
  let flowShown = false;
  const htmlToken = (text: string) => ({ type: 'html', raw: '', pre: false, block: true, text }) as const;

  const marked = new Marked({ gfm: true });
  const tokens = marked.lexer(markdown);
  const kept: typeof tokens = Object.assign([], { links: tokens.links });
  for (const token of tokens) {
    if (token.type === 'heading') {
      const heading = token as Tokens.Heading;
      inActivity = /matching activity/i.test(heading.text);
      inIdea = heading.depth === 2 && /^the idea$/i.test(heading.text);
      if (heading.depth === 1) title = heading.text;
      else if (heading.depth <= 3)
        toc.push({ id: slug(heading.text), text: heading.text, depth: heading.depth });
    }
    if (inIdea && flow && !flowShown && token.type === 'code' && !(token as Tokens.Code).lang) {
      flowShown = true;
      const text = (token as Tokens.Code).text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
      kept.push(
        htmlToken(
          `<figure class="lesson-flow"><div class="flow-scroll">${flow}</div><details><summary>The same flow as text</summary><pre><code>${text}</code></pre></details></figure>`,
        ),
      );
      continue;
    }
    if (inActivity && token.type === 'paragraph') {
      kept.push(htmlToken(ACTIVITY_INTRO));
      continue;
    }
    if (inActivity && token.type === 'table') {
      for (const row of (token as Tokens.Table).rows) {
        const [part, does] = row;
        if (part && does) pairs.push({ part: part.text.trim(), does: does.text.trim() });
      }
      kept.push(htmlToken('<div id="activity" class="activity"></div>'));
      continue;
    }
    kept.push(token);
  }

  marked.use({
    renderer: {
      heading({ tokens: inline, depth, text }) {
        const body = this.parser.parseInline(inline);
        return `<h${depth} id="${slug(text)}">${body}</h${depth}>\n`;
      },
    },
  });
  const html = marked.parser(kept);
  return { title, html, toc, pairs };
}

export async function renderLabFile(file: string, options: { flow?: string } = {}): Promise<RenderedLab> {
  return renderLab(await readFile(file, 'utf8'), options);
}
