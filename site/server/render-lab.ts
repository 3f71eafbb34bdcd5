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

/**
 * Renders LAB.md for the lab page: headings get ids, links to repo files stay text, and the
 * table under "Matching activity" becomes the interactive activity (its rows are returned as data).
 */
export function renderLab(markdown: string): RenderedLab {
  const toc: RenderedLab['toc'] = [];
  const pairs: MatchPair[] = [];
  let title = 'Presigned Upload Lab';
  let inActivity = false;

  const marked = new Marked({ gfm: true });
  const tokens = marked.lexer(markdown);
  const kept: typeof tokens = Object.assign([], { links: tokens.links });
  for (const token of tokens) {
    if (token.type === 'heading') {
      const heading = token as Tokens.Heading;
      inActivity = /matching activity/i.test(heading.text);
      if (heading.depth === 1) title = heading.text;
      else if (heading.depth <= 3)
        toc.push({ id: slug(heading.text), text: heading.text, depth: heading.depth });
    }
    if (inActivity && token.type === 'table') {
      for (const row of (token as Tokens.Table).rows) {
        const [part, does] = row;
        if (part && does) pairs.push({ part: part.text.trim(), does: does.text.trim() });
      }
      kept.push({
        type: 'html',
        raw: '',
        pre: false,
        block: true,
        text: '<div id="activity" class="activity"></div>',
      });
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

export async function renderLabFile(file: string): Promise<RenderedLab> {
  return renderLab(await readFile(file, 'utf8'));
}
