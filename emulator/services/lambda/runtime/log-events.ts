/** Text a function's environment wrote, and when. */
export interface LogChunk {
  at: number;
  text: string;
}

/** A Node runtime console line: `<ISO time>\t<request id>\t<LEVEL>\t<message>`. */
const NODE_CONSOLE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\t[^\t\n]*\t(?:INFO|WARN|ERROR|DEBUG|TRACE)\t/;

/**
 * Turns an invocation's output into CloudWatch Logs events as Lambda sends them: one event per
 * line, each ending with `\n`, except that one Node.js console call is one event even when its
 * message has several lines (AWS shows such a message as one event). Timestamps never go back.
 * UNVERIFIED: AWS's runtime writes inner newlines of a Node message as `\r`; they are kept as `\n`.
 * https://docs.aws.amazon.com/lambda/latest/dg/nodejs-logging.html
 */
export function cloudWatchEvents(chunks: LogChunk[]): Array<{ timestamp: number; message: string }> {
  const events: Array<{ timestamp: number; message: string }> = [];
  let last = 0;
  let partial: { at: number; text: string } | undefined;
  const emit = (at: number, message: string) => {
    last = Math.max(last, at);
    events.push({ timestamp: last, message });
  };
  const flush = () => {
    if (partial && partial.text !== '') emit(partial.at, partial.text + '\n');
    partial = undefined;
  };
  for (const { at, text } of chunks) {
    if (!partial && NODE_CONSOLE.test(text) && text.endsWith('\n')) {
      emit(at, text);
      continue;
    }
    let rest = text;
    for (let nl = rest.indexOf('\n'); nl !== -1; nl = rest.indexOf('\n')) {
      const line = (partial?.text ?? '') + rest.slice(0, nl + 1);
      emit(partial?.at ?? at, line);
      partial = undefined;
      rest = rest.slice(nl + 1);
    }
    if (rest) partial = { at: partial?.at ?? at, text: (partial?.text ?? '') + rest };
  }
  flush();
  return events;
}

/** Output kept as one text (a cold start's init output), cut again where each Node console line began. */
export function splitConsoleLines(chunk: LogChunk): LogChunk[] {
  return chunk.text
    .split(/(?<=\n)(?=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\t)/)
    .map((text) => ({ at: chunk.at, text }));
}
