import { Readable } from 'node:stream';
import busboy from 'busboy';
import { AwsError } from '../../../core/aws-error.ts';
import type { RequestContext } from '../../../core/context.ts';

/** [DOC HTTPPOSTForms] form data before the file is limited to 20 KB. */
export const MAX_PRE_DATA = 20 * 1024;

export interface FormFile {
  stream: Readable;
  /** The client's file name (after the last `/` or `\`); absent for a text part named `file`. */
  filename: string | undefined;
}

export interface PostForm {
  /** Fields by lower-cased name (names are case-insensitive [REC-assert policy_casing]), in form order. */
  fields: Map<string, string>;
  file?: FormFile;
  /** Settles once the whole request body was consumed: true if it was well-formed. */
  finished: Promise<boolean>;
}

export const malformedPost = () =>
  new AwsError(
    'MalformedPOSTRequest',
    'The body of your POST request is not well-formed multipart/form-data.',
    {
      status: 400,
    },
  );

// The message (AWS's spelling) is UNVERIFIED [§2.3 table, last row].
const preDataTooLarge = () =>
  new AwsError(
    'MaxPostPreDataLengthExceeded',
    'Your POST request fields preceeding the upload file was too large.',
    {
      status: 400,
      fields: { MaxPostPreDataLength: MAX_PRE_DATA },
    },
  );

/**
 * Reads a multipart POST with busboy up to the part named `file` and hands that part over
 * as a stream, never buffering it. Every other part is a field, even one with a filename
 * [§2.1]; a `file` part without a filename is still the file. Parts after the file are
 * ignored. Rejects (after draining the body) on malformed input or >20 KB of fields.
 */
export function readPostForm(ctx: RequestContext): Promise<PostForm> {
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: ctx.headers,
      defParamCharset: 'utf8',
      limits: { fieldSize: MAX_PRE_DATA + 1, fieldNameSize: 1024, parts: 1000 },
    });
  } catch {
    return drain(ctx).then(() => Promise.reject(malformedPost()));
  }
  const fields = new Map<string, string>();
  const pending: Array<Promise<void>> = [];
  let preData = 0;
  let fileSeen = false;
  let failed = false;
  let settled = false;
  let finish: (ok: boolean) => void = () => undefined;
  const finished = new Promise<boolean>((resolve) => (finish = resolve));

  return new Promise<PostForm>((resolve, reject) => {
    const fail = (err: AwsError) => {
      if (settled || failed) return;
      failed = true;
      ctx.req.unpipe(parser);
      parser.destroy();
      void drain(ctx).then(() => reject(err));
    };
    const addField = (name: string, value: string, truncated: boolean) => {
      preData += Buffer.byteLength(name) + Buffer.byteLength(value);
      if (truncated || preData > MAX_PRE_DATA) return fail(preDataTooLarge());
      const lower = name.toLowerCase();
      if (!fields.has(lower)) fields.set(lower, value);
    };
    // Fields sent as file parts may still be arriving when the next part starts.
    const settle = (file?: FormFile) =>
      void Promise.all(pending).then(() => {
        if (failed) return file?.stream.resume();
        settled = true;
        resolve(file ? { fields, file, finished } : { fields, finished });
      });

    parser.on('field', (name, value, info) => {
      if (fileSeen || failed) return;
      if (name.toLowerCase() !== 'file')
        return addField(name, value, info.valueTruncated || info.nameTruncated);
      fileSeen = true;
      settle({ stream: Readable.from([Buffer.from(value)]), filename: undefined });
    });
    parser.on('file', (name, stream, info) => {
      // Busboy destroys an unfinished part with an error when the form is cut short; whoever
      // reads the part sees it, and it must not be an unhandled 'error' if nobody does.
      stream.on('error', () => undefined);
      if (fileSeen || failed) return void stream.resume();
      if (name.toLowerCase() === 'file') {
        fileSeen = true;
        return settle({ stream, filename: info.filename });
      }
      // A field sent with a filename: read it as text, within the pre-data limit.
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= MAX_PRE_DATA) chunks.push(chunk);
      });
      pending.push(
        new Promise<void>((done) => {
          stream.once('end', done).once('error', () => done());
        }).then(() => addField(name, Buffer.concat(chunks).toString('utf8'), size > MAX_PRE_DATA)),
      );
    });
    parser.on('error', () => {
      finish(false);
      fail(malformedPost());
    });
    parser.on('close', () => {
      finish(true);
      if (!fileSeen) settle();
    });
    ctx.req.on('error', (err) => parser.destroy(err));
    ctx.req.pipe(parser);
  });
}

/** Consumes the rest of the request so an error response is read by the client, not reset. */
export function drain(ctx: RequestContext): Promise<void> {
  const req = ctx.req;
  if (req.readableEnded || req.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    req.once('end', resolve).once('close', resolve).once('error', resolve);
    req.resume();
  });
}
