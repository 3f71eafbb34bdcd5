import type { LabOutputs } from '../../checks/lib/outputs.ts';

export interface Ticket {
  upload: { url: string; fields: Record<string, string> };
  object_key: string;
  bucket: string;
}

interface FileRecord {
  key: string;
  name: string;
  size: number;
}

/** What a non-browser client does: ask for a ticket, then POST the form with the file last. */
export async function uploadWithFetch(
  outputs: LabOutputs,
  filename: string,
  body: string,
): Promise<{ ticket: Ticket; status: number }> {
  const asked = await fetch(`${outputs.apiEndpoint}/upload-url`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ filename, contentType: 'text/plain', size: Buffer.byteLength(body) }),
  });
  if (asked.status !== 200)
    throw new Error(`POST /upload-url answered ${asked.status}: ${await asked.text()}`);
  const ticket = (await asked.json()) as Ticket;
  const form = new FormData();
  for (const [name, value] of Object.entries(ticket.upload.fields)) form.append(name, value);
  form.append('file', new Blob([body], { type: 'text/plain' }), filename);
  const posted = await fetch(ticket.upload.url, { method: 'POST', body: form });
  await posted.arrayBuffer();
  return { ticket, status: posted.status };
}

/** The record `GET /files` lists for a key, once the pipeline has written it. */
export async function fileRecord(outputs: LabOutputs, key: string): Promise<FileRecord | undefined> {
  const res = await fetch(`${outputs.apiEndpoint}/files`);
  if (res.status !== 200) throw new Error(`GET /files answered ${res.status}: ${await res.text()}`);
  const { files } = (await res.json()) as { files: FileRecord[] };
  return files.find((f) => f.key === key);
}
