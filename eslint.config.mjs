// Lint rules, run by `npm test`. Besides typescript-eslint's recommended set, the import rules below encode
// the layering of DEVELOPERS.md, so that it holds by itself:
//   src/shared      imports nothing outside itself (it is bundled into webviews and the host); its
//                   format.ts is the one set of formatters every layer uses
//   src/core        pure TypeScript on Node: never `vscode`, the view model, the extension, the CLI, a webview,
//                   or the webview protocols (src/shared/format.ts only)
//   src/view-model  pure: the core and src/shared, never `vscode` or the extension
//   src/cli         the core and src/shared/format.ts, never `vscode`
//   src/extension   anything but the webviews and the CLI
//   media           the DOM and src/shared only: no Node built-ins, no core
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

/** A restricted-import pattern: `group` globs with a message. */
const banned = (message, ...group) => ({ group, message });
const vscodeBanned = { name: 'vscode', message: 'Only src/extension may import vscode; keep this layer testable without VS Code.' };

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'out/',
      'test-results/',
      '.cache/',
      'test/e2e/vscode-server/',
      'test/fixtures/',
      'test/support/webrtc-polyfill-offline/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module', globals: { ...globals.node } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-restricted-syntax': [
        'error',
        {
          selector: 'MemberExpression[property.name=/^(innerHTML|outerHTML)$/]',
          message: 'Build DOM with textContent and the dom.ts helpers; never HTML strings.',
        },
        {
          selector: "CallExpression[callee.property.name='insertAdjacentHTML']",
          message: 'Build DOM with textContent and the dom.ts helpers; never HTML strings.',
        },
      ],
    },
  },
  {
    // Type-aware checks where a mistake is silent at run time: a promise nobody awaits loses its error.
    files: ['src/**/*.ts', 'media/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [vscodeBanned],
          patterns: [
            banned(
              'src/core sits under every other layer: it imports none of them, only the formatters of src/shared/format.ts.',
              '**/view-model/**',
              '**/extension/**',
              '**/cli/**',
              '**/shared/**',
              '!**/shared/format',
              '**/media/**',
            ),
          ],
        },
      ],
    },
  },
  {
    files: ['src/view-model/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [vscodeBanned],
          patterns: [banned('The view model is pure: the core and src/shared only.', '**/extension/**', '**/cli/**', '**/media/**')],
        },
      ],
    },
  },
  {
    files: ['src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [vscodeBanned],
          patterns: [
            banned(
              'The CLI runs on plain Node over the core, with the formatters of src/shared/format.ts.',
              '**/extension/**',
              '**/media/**',
              '**/shared/**',
              '!**/shared/format',
            ),
          ],
        },
      ],
    },
  },
  {
    files: ['src/extension/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            banned(
              'The extension host reaches a webview only through messages, and the CLI is its own program.',
              '**/media/**',
              '**/cli/**',
            ),
          ],
        },
      ],
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [vscodeBanned, ...nodeBuiltins.map((name) => ({ name, message: 'src/shared also runs in webviews: no Node built-ins.' }))],
          patterns: [
            banned(
              'src/shared imports nothing outside itself.',
              '../../*',
              '**/core/**',
              '**/view-model/**',
              '**/extension/**',
              '**/cli/**',
              '**/media/**',
            ),
          ],
        },
      ],
    },
  },
  {
    files: ['media/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [vscodeBanned, ...nodeBuiltins.map((name) => ({ name, message: 'Webviews run in a browser: no Node built-ins.' }))],
          patterns: [
            banned(
              'A webview talks to the host only through src/shared (messages and their types).',
              '**/src/core/**',
              '**/src/view-model/**',
              '**/src/extension/**',
              '**/src/cli/**',
            ),
          ],
        },
      ],
    },
  },
  {
    // Plain JavaScript run by node: the end-to-end harness, the build scripts and the page scripts it evaluates.
    files: ['**/*.mjs', '**/*.js'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Tests assert that control characters never reach a terminal or a webview.
    files: ['test/**/*.ts', 'test/**/*.mjs'],
    rules: { 'no-control-regex': 'off' },
  },
  {
    files: ['test/e2e/**/*.mjs', 'bench/vscode/**/*.mjs'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
);
