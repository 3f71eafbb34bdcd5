import type { Mutation } from './mutation.ts';
import { editFrontendFile, replaceTicketCode, type MutationEnv } from './mutate.ts';
import { bundleTicketVariant, solutionTicketZip } from './ticket-variant.ts';

const ticketCode = (variant: string) => async (env: MutationEnv) =>
  replaceTicketCode(env, await bundleTicketVariant(variant), solutionTicketZip);

/** Mistakes in code the student writes: the ticket function's presign step, and the frontend. */
export const codeMutations: Mutation[] = [
  {
    id: 'ticket-key-without-prefix',
    mistake: 'the ticket signs the bare file name, outside incoming/',
    fails: { 'ticket-function': 'ticket-function.key-outside-prefix' },
    apply: ticketCode('key-without-prefix'),
  },
  {
    id: 'ticket-condition-without-field',
    mistake: 'a Content-Type condition in the ticket without the Content-Type field',
    fails: { 'put-permission': 'put-permission.policy-condition' },
    shows: [/Policy Condition failed: \["starts-with", "\$Content-Type", "text\/"\]/],
    apply: ticketCode('condition-without-field'),
  },
  {
    id: 'frontend-no-conventions',
    mistake: 'the upload form lost its data-lab attribute',
    fails: { 'browser-upload': 'browser-upload.conventions' },
    apply: (env) =>
      editFrontendFile(env, 'index.html', (html) =>
        html.replaceAll('data-lab="upload-form"', 'id="upload-form"'),
      ),
  },
  {
    id: 'frontend-extra-header',
    mistake: 'the page sends a header the API does not allow',
    fails: { 'browser-upload': 'browser-upload.cors-api' },
    shows: [
      /blocked by CORS policy/,
      /The page sends `x-requested-with`, which the API's CORS settings do not allow/,
    ],
    apply: (env) =>
      editFrontendFile(env, 'api.js', (js) =>
        js.replace(
          "headers: { 'content-type': 'application/json' },",
          "headers: { 'content-type': 'application/json', 'x-requested-with': 'lab-frontend' },",
        ),
      ),
  },
  {
    id: 'frontend-posts-through-api',
    mistake: 'the page posts the file to the API instead of the bucket',
    fails: { 'browser-upload': 'browser-upload.through-api' },
    apply: (env) =>
      editFrontendFile(env, 'upload.js', (js) =>
        js.replace("xhr.open('POST', url);", "xhr.open('POST', `${window.LAB_CONFIG.apiBaseUrl}/upload`);"),
      ),
  },
  {
    id: 'frontend-posts-file-name',
    mistake: "the page posts the file's name instead of the file",
    fails: { 'browser-upload': 'browser-upload.wrong-bytes' },
    shows: [/bytes that are not the 48-byte file/],
    apply: (env) =>
      editFrontendFile(env, 'upload.js', (js) =>
        js.replace("form.append('file', file);", "form.append('file', file.name);"),
      ),
  },
  {
    id: 'frontend-file-first',
    mistake: 'the page appends the file before the ticket fields',
    fails: { 'browser-upload': 'browser-upload.s3-refused' },
    shows: [/InvalidArgument/],
    apply: (env) =>
      editFrontendFile(env, 'upload.js', (js) =>
        js
          .replace("  form.append('file', file);\n", '')
          .replace(
            '  const form = new FormData();\n',
            "  const form = new FormData();\n  form.append('file', file);\n",
          ),
      ),
  },
  {
    id: 'ticket-expiry-too-long',
    mistake: 'the ticket lives an hour',
    fails: { 'ticket-scope': 'ticket-scope.expiry-too-long' },
    apply: ticketCode('expiry-3600'),
  },
  {
    id: 'ticket-no-size-limit',
    mistake: 'the ticket has no content-length-range',
    fails: { 'ticket-scope': 'ticket-scope.no-size-limit' },
    apply: ticketCode('no-size-limit'),
  },
  {
    id: 'ticket-size-limit-too-high',
    mistake: "the ticket's size range is S3's 5 GiB limit, not MAX_UPLOAD_BYTES",
    fails: { 'ticket-scope': 'ticket-scope.size-limit-too-high' },
    apply: ticketCode('size-limit-5gb'),
  },
];
