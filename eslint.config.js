// Layering rules (DESIGN.md, STYLE.md rule 1): the engine in app/ never reaches for Electron,
// React or the DOM; the renderer never imports engine runtime code or main/.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', 'renderer/dist/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // CommonJS scripts (bin/synscope.cjs): require is how they import.
    files: ['**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['app/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['electron', 'electron/*'], message: 'app/ is the engine: no Electron here (DESIGN.md layers).' },
          { group: ['react', 'react-dom', 'react/*', 'react-dom/*'], message: 'app/ is the engine: no React here.' },
          { group: ['**/main/**', '**/renderer/**'], message: 'app/ must not import main/ or renderer/.' },
        ],
      }],
      'no-restricted-globals': ['error',
        { name: 'window', message: 'app/ runs on Node: no DOM.' },
        { name: 'document', message: 'app/ runs on Node: no DOM.' },
        { name: 'navigator', message: 'app/ runs on Node: no DOM.' },
      ],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['**/main/**', 'electron'], message: 'The renderer talks to the engine only through the contract.' },
          // (A regex: gitignore-style negation cannot re-include a file below an excluded folder.)
          { regex: String.raw`(^|/)app/(?!session/contract(\.js)?$)`, message: 'The renderer may import only the contract types from app/.' },
        ],
      }],
    },
  },
  {
    // Renderer tests may read the engine as an oracle (the grammars are checked against the
    // engine's scanners, the timeline against real lifecycles); the shipped renderer never does.
    files: ['renderer/**/*.test.ts', 'renderer/**/*.test.tsx'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['**/main/**', 'electron'], message: 'The renderer talks to the engine only through the contract.' }],
      }],
    },
  },
  {
    // main/ may use Electron. Its preload runs sandboxed, where only 'electron' can be required:
    // it may take the contract and the channel names, nothing that needs Node.
    files: ['main/preload.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['node:*', 'fs', 'path', 'child_process', 'os'], message: 'The sandboxed preload has no Node.' },
          { regex: String.raw`^\.\./app/(?!session/contract\.js$)`, message: 'The preload may import only the contract from app/.' },
          { regex: String.raw`^\./(?!ipc-channels\.js$)`, message: 'The preload bundles only ./ipc-channels.js from main/.' },
        ],
      }],
    },
  },
);
