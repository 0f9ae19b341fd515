// Monaco under a strict style policy. Monaco writes its styles two ways that a CSP without
// 'unsafe-inline' in style-src blocks (microsoft/monaco-editor#271): <style> elements whose text
// it sets at run time (the theme, token colours), and style="" attributes inside the HTML
// strings it renders (line positions, squiggle and cursor geometry). The CSS Object Model is not
// subject to style-src, so this bridge hands both to the browser through it:
//   - the text of each <style> element Monaco adds is copied into a constructed stylesheet
//     (document.adoptedStyleSheets), kept in step with later changes;
//   - a style attribute on an element of the editor's own DOM is re-applied through
//     element.style, once per value.
// Only Monaco's stylesheets and the editor's subtree are touched: the page's policy still
// blocks inline styles anywhere else, and scripts stay 'self' only (no eval, no inline script).

const bridged = new Map<HTMLStyleElement, CSSStyleSheet>();
const applied = new WeakMap<Element, string>();
let headObserver: MutationObserver | null = null;

function isMonacoStyle(node: Node): node is HTMLStyleElement {
  // Monaco's elements carry no nonce and are made by script after load; the app's own CSS comes
  // as <link rel=stylesheet>, never as <style>.
  return node instanceof HTMLStyleElement && !node.nonce;
}

function syncSheets(): void {
  for (const [el, sheet] of bridged) {
    if (!el.isConnected) bridged.delete(el);
    else sheet.replaceSync(el.textContent ?? '');
  }
  const ours = new Set(bridged.values());
  const others = document.adoptedStyleSheets.filter((s) => !ours.has(s) && !(s as CSSStyleSheet & { monacoBridge?: boolean }).monacoBridge);
  document.adoptedStyleSheets = [...others, ...ours];
}

/** Bridges `node` if it is (or holds) one of Monaco's <style> elements. */
function adopt(node: Node): void {
  const found = isMonacoStyle(node) ? [node] : node instanceof Element ? [...node.querySelectorAll('style')].filter(isMonacoStyle) : [];
  for (const el of found) {
    if (bridged.has(el)) continue;
    const sheet = new CSSStyleSheet() as CSSStyleSheet & { monacoBridge?: boolean };
    sheet.monacoBridge = true;
    bridged.set(el, sheet);
  }
}

/** Whether a mutation touched a bridged <style> (its text is set after it is added). */
function touchesStyle(r: MutationRecord): boolean {
  const t = r.target instanceof Element ? r.target : r.target.parentElement;
  return t instanceof HTMLStyleElement || [...r.addedNodes].some((n) => n instanceof HTMLStyleElement || (n instanceof Element && n.querySelector('style') !== null));
}

function watchStyles(): void {
  if (headObserver) return;
  document.querySelectorAll('style').forEach(adopt);
  headObserver = new MutationObserver((records) => {
    for (const r of records) {
      r.addedNodes.forEach(adopt);
    }
    syncSheets();
  });
  headObserver.observe(document.head, { childList: true, subtree: true, characterData: true });
  headObserver.observe(document.body, { childList: true, subtree: false });
  syncSheets();
}

function applyStyleAttribute(el: Element): void {
  const value = el.getAttribute('style');
  if (value === null || applied.get(el) === value) return;
  const style = (el as HTMLElement).style;
  if (!style) return;
  style.cssText = value;
  // Setting cssText rewrites the attribute (normalised): remember both forms.
  applied.set(el, el.getAttribute('style') ?? value);
}

function applyTree(root: Element): void {
  if (root.hasAttribute('style')) applyStyleAttribute(root);
  root.querySelectorAll('[style]').forEach(applyStyleAttribute);
}

/** Starts bridging for one editor's DOM; the returned function stops it. */
export function bridgeMonacoStyles(editorRoot: HTMLElement): () => void {
  watchStyles();
  applyTree(editorRoot);
  editorRoot.querySelectorAll('style').forEach(adopt);
  syncSheets();
  const observer = new MutationObserver((records) => {
    let styles = false;
    for (const r of records) {
      if (r.type === 'attributes' && r.target instanceof Element) applyStyleAttribute(r.target);
      else r.addedNodes.forEach((n) => {
        if (n instanceof Element) applyTree(n);
        adopt(n);
      });
      if (touchesStyle(r)) styles = true;
    }
    if (styles) syncSheets();
  });
  observer.observe(editorRoot, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['style'] });
  return () => observer.disconnect();
}
