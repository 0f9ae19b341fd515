// Applies the styles Monaco writes into its HTML (moved to data-csp-style="" by the policy in
// monaco-environment.ts, or left as style="" where Monaco sets markup some other way) through the
// CSS Object Model, which a style-src 'self' CSP allows. Only the editor's own subtree is
// watched: the page's policy still blocks inline styles everywhere else. Monaco's stylesheets are
// handled at build time (monaco-csp-plugin.mjs).
const ATTRIBUTES = ['data-csp-style', 'style'] as const;
const applied = new WeakMap<Element, string>();

function apply(el: Element): void {
  const value = el.getAttribute('data-csp-style') ?? el.getAttribute('style');
  const style = (el as HTMLElement).style;
  if (value === null || !style || applied.get(el) === value) return;
  style.cssText = value;
  // Setting cssText writes a style attribute too: remember what we set so we stop there.
  applied.set(el, el.hasAttribute('data-csp-style') ? value : (el.getAttribute('style') ?? value));
}

function applyTree(root: Element): void {
  if (root.hasAttribute('data-csp-style') || root.hasAttribute('style')) apply(root);
  root.querySelectorAll('[data-csp-style]').forEach(apply);
}

/** Starts applying for one editor's DOM; the returned function stops it. */
export function bridgeMonacoStyles(editorRoot: HTMLElement): () => void {
  applyTree(editorRoot);
  const observer = new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === 'attributes') {
        if (r.target instanceof Element) apply(r.target);
      } else r.addedNodes.forEach((n) => n instanceof Element && applyTree(n));
    }
  });
  observer.observe(editorRoot, { subtree: true, childList: true, attributes: true, attributeFilter: [...ATTRIBUTES] });
  return () => observer.disconnect();
}
