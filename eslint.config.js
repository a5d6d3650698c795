// One linter with type-aware rules (DESIGN.md house style), plus the direction of dependencies
// between packages: arrows only point down DESIGN.md's table.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const forbid = (names, extra = []) => ({
  'no-restricted-imports': [
    'error',
    {
      patterns: [
        ...names.map((n) => ({
          group: [`@tally/${n}`, `@tally/${n}/*`],
          message: `DESIGN.md: this package may not import @tally/${n}.`,
        })),
        ...extra,
      ],
    },
  ],
});
const noHttp = [
  {
    group: ['node:http', 'node:https', 'http', 'https'],
    message: 'DESIGN.md: this package knows nothing of HTTP.',
  },
];

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      'data/**',
      'coverage/**',
      '**/*.js',
      '**/*.cjs',
      '**/*.mjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowBoolean: true },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unnecessary-condition': 'off',
      '@typescript-eslint/no-confusing-void-expression': 'off',
      '@typescript-eslint/no-extraneous-class': 'off',
    },
  },
  {
    files: ['**/*.test.ts', '**/*.test.tsx', '**/test/**', '**/bench/**'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-empty-function': 'off',
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['packages/model/src/**'],
    rules: forbid(['sdk', 'storage', 'tsdb', 'promql', 'server', 'web'], noHttp),
  },
  { files: ['packages/storage/src/**'], rules: forbid(['sdk', 'tsdb', 'promql', 'server', 'web'], noHttp) },
  { files: ['packages/sdk/src/**'], rules: forbid(['storage', 'tsdb', 'promql', 'server', 'web']) },
  { files: ['packages/tsdb/src/**'], rules: forbid(['sdk', 'promql', 'server', 'web'], noHttp) },
  { files: ['packages/promql/src/**'], rules: forbid(['sdk', 'tsdb', 'server', 'web'], noHttp) },
  { files: ['apps/web/src/**'], rules: forbid(['model', 'sdk', 'storage', 'tsdb', 'promql', 'server']) },
);
