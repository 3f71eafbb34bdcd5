// esbuild bundles this file into index.mjs; Lambda calls `index.handler`.
export { handler } from './handler.ts';
