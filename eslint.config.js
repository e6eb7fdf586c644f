// npm run lint: neostandard (the style the code is written in: no semicolons, single quotes, a space
// before a function's parentheses) plus the project's layering rules, so that a change that breaks
// them fails in CI rather than in review. See docs/architecture.md.
import neostandard from 'neostandard'

const QUERY_BUILDERS = '/^(selectFrom|insertInto|updateTable|deleteFrom|mergeInto|replaceInto)$/'

export default [
  ...neostandard({ ts: true, ignores: ['dist/**', 'data/**', 'coverage/**', '.tap/**'] }),
  {
    rules: {
      // Route schemas put a route's identity (operationId, tags, summary) on one line and its inputs
      // (params, querystring, body) on the next: one line per concern reads better than one per property.
      '@stylistic/object-property-newline': 'off'
    }
  },

  // SQL lives in repositories (and in db/, which opens the database, and in migrations).
  {
    files: ['src/**/*.ts'],
    ignores: ['src/**/repository.ts', 'src/db/**'],
    rules: {
      'no-restricted-syntax': ['error', {
        selector: `CallExpression[callee.property.name=${QUERY_BUILDERS}]`,
        message: 'SQL goes in a repository.ts: call a repository function instead.'
      }],
      'no-restricted-imports': ['error', {
        paths: [{ name: 'kysely', importNames: ['sql'], message: 'SQL goes in a repository.ts.' }],
        patterns: [{ regex: '^(\\.\\./)+api/', message: 'Nothing imports an API area but the routes table (src/api/index.ts).' }]
      }]
    }
  },

  // An API area imports no other API area: what two areas share is a domain module below them.
  {
    files: ['src/api/*/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'kysely', importNames: ['sql'], message: 'SQL goes in a repository.ts.' }],
        patterns: [{ regex: '^\\.\\./[^./][^/]*/', message: 'An API area imports no other API area; share through a domain module (src/<module>/).' }]
      }]
    }
  },
  {
    files: ['src/api/*/repository.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ regex: '^\\.\\./[^./][^/]*/', message: 'An API area imports no other API area; share through a domain module (src/<module>/).' }]
      }]
    }
  }
]
