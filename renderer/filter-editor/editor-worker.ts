// Monaco's editor worker (diffs, word ranges, link detection), bundled on its own so the page
// starts it from its own origin: no blob: or data: worker, nothing evaluated from a string.
import 'monaco-editor/editor/editor.worker.js';
