import { code, list } from './format.ts';

export const browserHints = {
  'browser-upload.page-not-loading': (v: { url: string; problem: string }) =>
    `The frontend at ${code(v.url)} did not load (${v.problem}). Start it with \`npm run site\`, or pass ` +
    `--frontend-url URL (or --frontend-dir DIR to let the checker serve it).`,
  'browser-upload.conventions': (v: { url: string; missing: string[] }) =>
    `The page at ${code(v.url)} has no ${list(v.missing)}. The checker finds the upload form and its result by ` +
    `these attributes (LAB.md, "Conventions"). Add them to your form, its file input and the status element.`,
  'browser-upload.no-ticket-request': (v: { endpoint: string }) =>
    `After the form was submitted the page never called \`POST ${v.endpoint}/upload-url\`. Make the submit handler ` +
    `request a ticket from \`\${window.LAB_CONFIG.apiBaseUrl}/upload-url\` (config.js sets apiBaseUrl).`,
  'browser-upload.ticket-refused': (v: { status: number; body: string }) =>
    `The page's ticket request got ${v.status} (${code(v.body)}). Send \`POST /upload-url\` with a JSON body ` +
    `\`{filename, contentType, size}\` taken from the chosen file, and header \`content-type: application/json\`.`,
  'browser-upload.cors-api': (v: { message: string; extraHeaders: string[] }) =>
    `The browser blocked the ticket request: "${v.message}". ` +
    (v.extraHeaders.length > 0
      ? `The page sends ${list(v.extraHeaders)}, which the API's CORS settings do not allow. Stop sending it ` +
        `(the ticket request needs only \`content-type\`), or add it to the API's CORS allowed headers.`
      : `Allow what it names in the API's CORS configuration for the page's origin.`),
  'browser-upload.cors-bucket': (v: { message: string }) =>
    `The browser blocked reading S3's answer: "${v.message}". Fix the bucket's CORS rule: the page's origin, ` +
    `method \`POST\`, and \`ETag\` exposed.`,
  'browser-upload.through-api': (v: { url: string; bucketUrl: string }) =>
    `The page sent the file to ${code(v.url)}, not to the bucket. Post the ticket's \`fields\` and then the file, ` +
    `as multipart form data, straight to \`upload.url\` (${code(v.bucketUrl)}).`,
  'browser-upload.no-bucket-post': (v: { bucketUrl: string }) =>
    `The page got a ticket but never POSTed the file to the bucket (${code(v.bucketUrl)}). Build a FormData ` +
    `with every entry of the ticket's \`upload.fields\`, append the file last as \`file\`, and POST it to ` +
    `\`upload.url\`.`,
  'browser-upload.policy-condition': (v: { condition: string }) =>
    `S3 refused the browser's upload: \`Policy Condition failed: ${v.condition}\`. Send every field of the ` +
    `ticket unchanged and the file last, and make the ticket's conditions match what the page sends.`,
  'browser-upload.s3-refused': (v: { status: number; code: string; message: string }) =>
    `S3 refused the browser's upload: ${v.status} ${code(v.code)} "${v.message}". Check that the page sends the ` +
    `ticket's fields unchanged, and compare with the put-permission and ticket-scope rows.`,
  'browser-upload.not-reported': (v: { state: string; text: string }) =>
    `S3 stored the file, but the page's \`[data-lab="upload-status"]\` says ${code(v.text || '(empty)')} ` +
    `(data-state ${code(v.state || '(none)')}). Set data-state="ok" and data-object-key on it once S3 answers 2xx.`,
  'browser-upload.not-stored': (v: { key: string }) =>
    `The page reports success, but the bucket has no object ${code(v.key)}. Report success only after S3 answers 2xx.`,
  'browser-upload.wrong-bytes': (v: { key: string; size: number; wanted: number }) =>
    `S3 stored ${code(v.key)}, but its ${v.size} bytes are not the ${v.wanted}-byte file chosen in the form. ` +
    `Send the chosen \`File\` itself (\`input.files[0]\`) as the form's last field, \`file\`, not its name or a copy.`,

  'dashboard.no-notification': (v: { bucket: string; fn: string }) =>
    `Bucket ${code(v.bucket)} sends no event notification to ${code(v.fn)}, so no metadata record is written for ` +
    `new uploads. Add an event notification for \`s3:ObjectCreated:*\` on prefix \`incoming/\` to that function.`,
  'dashboard.notification-put-only': (v: { events: string[] }) =>
    `The bucket notifies the metadata function on ${list(v.events)} only; a browser upload is a POST ` +
    `(\`s3:ObjectCreated:Post\`). Use \`s3:ObjectCreated:*\` in the event notification.`,
  'dashboard.notification-wrong-prefix': (v: { prefix: string; key: string; wanted: string }) =>
    `The bucket's notification only fires for keys starting with ${code(v.prefix)}; the upload landed at ` +
    `${code(v.key)}. Set the notification's prefix filter to ${code(v.wanted)}.`,
  'dashboard.not-listed': (v: { key: string; seconds: number; record: string; recordExists: boolean }) =>
    `The upload ${code(v.key)} did not appear in GET /files within ${v.seconds} s; its record ` +
    `${code(v.record)} ${v.recordExists ? "exists, so the list function does not return it. Check the list function's logs." : "was never written. Check the metadata function's logs."}`,
  'dashboard.page-not-updated': (v: { key: string }) =>
    `GET /files lists ${code(v.key)}, but after pressing \`[data-lab="refresh"]\` the page's ` +
    `\`[data-lab="file-list"]\` shows no \`li[data-key="${v.key}"]\`. Render one li per file, with data-key.`,
} as const;
