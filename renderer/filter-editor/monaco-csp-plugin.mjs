// esbuild plugin for the renderer bundle: Monaco under a style-src 'self' policy without console
// noise. Monaco makes its stylesheets by appending <style> elements and setting their text
// (theme colours, list styles, decorations); a strict CSP blocks every one of them and logs a
// violation each time (microsoft/monaco-editor#271). This swaps that one helper,
// createStyleSheet in base/browser/domStylesheets.js, for one that gives Monaco an inert element
// whose text and `sheet` are a constructed stylesheet adopted by the document: the CSS Object
// Model is not subject to style-src. The rest of Monaco is bundled unchanged.
import { readFile } from 'node:fs/promises';

const REPLACEMENT = `
function createStyleSheet(container = mainWindow.document.head, beforeAppend, disposableStore) {
    const doc = container.ownerDocument || document;
    const sheet = new CSSStyleSheet();
    const holder = doc.createElement('monaco-style');
    let text = '';
    const textProperty = { configurable: true, get: () => text, set: (v) => { text = v == null ? '' : String(v); sheet.replaceSync(text); } };
    Object.defineProperty(holder, 'textContent', textProperty);
    Object.defineProperty(holder, 'innerText', textProperty);
    Object.defineProperty(holder, 'sheet', { configurable: true, get: () => sheet });
    const root = typeof container.getRootNode === 'function' ? container.getRootNode() : doc;
    const owner = root && 'adoptedStyleSheets' in root ? root : doc;
    owner.adoptedStyleSheets = [...owner.adoptedStyleSheets, sheet];
    const detach = () => { owner.adoptedStyleSheets = owner.adoptedStyleSheets.filter((s) => s !== sheet); };
    holder.remove = detach;
    beforeAppend?.(holder);
    if (disposableStore) disposableStore.add(toDisposable(detach));
    return holder;
}
`;

export const monacoCspPlugin = {
  name: 'monaco-csp-stylesheets',
  setup(build) {
    build.onLoad({ filter: /monaco-editor[\\/]esm[\\/]vs[\\/]base[\\/]browser[\\/]domStylesheets\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      if (!source.includes('function createStyleSheet(')) throw new Error('monaco-csp-plugin: createStyleSheet not found in ' + args.path);
      return { contents: source.replace('function createStyleSheet(', 'function createStyleSheetWithStyleElement(') + REPLACEMENT, loader: 'js' };
    });
  },
};
