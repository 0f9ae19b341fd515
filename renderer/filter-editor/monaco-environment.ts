// Monaco's environment hook, set before any Monaco module runs (monaco-setup.ts imports this
// first: Monaco creates its HTML policies when its modules load). Two things:
//   - the editor worker comes from our own bundle, started from our own origin;
//   - the HTML Monaco renders (lines, decorations) passes through a "trusted types" policy we
//     provide, which moves style="" attributes to data-csp-style="" so a style-src 'self' CSP
//     has nothing to block; csp-style-bridge.ts applies them through the CSS Object Model.
/** The bundled editor worker, next to the app's own script. */
export const WORKER_FILE = 'filter-editor-worker.js';

const TAG = /<[A-Za-z][^<>]*>/g;

/** Moves style attributes of the tags in an HTML string to data-csp-style (text outside tags is left alone). */
export function moveStyleAttributes(html: string): string {
  return html.replace(TAG, (tag) => tag.replace(/(\s)style=(["'])/g, '$1data-csp-style=$2'));
}

interface PolicyOptions {
  createHTML?: (input: string, ...rest: unknown[]) => string;
  createScript?: (input: string, ...rest: unknown[]) => string;
  createScriptURL?: (input: string, ...rest: unknown[]) => string;
}

if (typeof document !== 'undefined') {
  globalThis.MonacoEnvironment = {
    getWorker: () => new Worker(new URL(WORKER_FILE, document.baseURI), { type: 'module', name: 'filter-editor-worker' }),
    createTrustedTypesPolicy: (name: string, options?: PolicyOptions) => {
      const html = options?.createHTML;
      return {
        name,
        createHTML: (input: string, ...rest: unknown[]) => moveStyleAttributes(html ? html(input, ...rest) : input),
        createScript: (input: string, ...rest: unknown[]) => (options?.createScript ? options.createScript(input, ...rest) : input),
        createScriptURL: (input: string, ...rest: unknown[]) => (options?.createScriptURL ? options.createScriptURL(input, ...rest) : input),
      } as never;
    },
  };
}
