// COPY text format (src/lib/copy-text.ts) and the request journal's COPY line (journalCopyLine in src/auth/repository.ts).
import t from 'tap'
import { journalCopyLine, type JournalEntry } from '../../src/auth/repository.js'
import { copyLine, copyText } from '../../src/lib/copy-text.js'

t.test('copyText escapes what would end a column or a line', async (t) => {
  t.equal(copyText('a\\b'), 'a\\\\b', 'backslash')
  t.equal(copyText('a\tb'), 'a\\tb', 'tab')
  t.equal(copyText('a\nb'), 'a\\nb', 'newline')
  t.equal(copyText('a\rb'), 'a\\rb', 'carriage return')
  t.equal(copyText('a\0b'), 'ab', 'NUL is dropped')
  t.equal(copyText('\0'), '')
  t.equal(copyText('\\\t\n\r\0'), '\\\\\\t\\n\\r', 'all of them at once')
  t.equal(copyText('x\r\ny\t\tz\\\\'), 'x\\r\\ny\\t\\tz\\\\\\\\', 'every occurrence, not only the first')
  t.equal(copyText('\\N'), '\\\\N', 'a literal \\N is not read back as null')
})

t.test('copyText: values that need no escaping', async (t) => {
  const plain = 'GET /v1/customers?size=10 – déjà vu 🚀'
  t.equal(copyText(plain), plain, 'returned as is')
  t.equal(copyText(''), '', 'the empty string is not null')
  t.equal(copyText(' '), ' ')
  t.equal(copyText('t'), 't')
})

t.test('copyText: null, booleans and numbers', async (t) => {
  t.equal(copyText(null), '\\N')
  t.equal(copyText(undefined), '\\N')
  t.equal(copyText(true), 't')
  t.equal(copyText(false), 'f')
  t.equal(copyText(0), '0')
  t.equal(copyText(200), '200')
  t.equal(copyText(-1.5), '-1.5')
  t.equal(copyText(1746000000123.5), '1746000000123.5')
})

t.test('copyText is stable across calls', async (t) => {
  for (let n = 0; n < 5; n++) t.equal(copyText('a\tb'), 'a\\tb', `same value, call ${n + 1}`)
  const inputs = ['abcdefgh\t', '\tx', 'long prefix before\nthe break', '\n', 'no specials', 'x\\', '\ry']
  const expected = ['abcdefgh\\t', '\\tx', 'long prefix before\\nthe break', '\\n', 'no specials', 'x\\\\', '\\ry']
  for (let round = 0; round < 3; round++) {
    t.same(inputs.map((value) => copyText(value)), expected, `alternating values, round ${round + 1}`)
  }
})

t.test('copyLine', async (t) => {
  t.equal(copyLine(['a', '\\N', 't', '42']), 'a\t\\N\tt\t42\n')
  t.equal(copyLine(['only']), 'only\n')
  t.equal(copyLine(['', '']), '\t\n', 'two empty columns')
  t.equal(copyLine([copyText('a\tb'), copyText(null)]), 'a\\tb\t\\N\n')
})

t.test('journalCopyLine', async (t) => {
  const entry: JournalEntry = {
    occurred_at: Date.UTC(2025, 0, 2, 3, 4, 5, 678),
    request_id: 'req-1',
    correlation_id: 'corr\t1',
    method: 'GET',
    path: '/v1/customers',
    operation: null,
    operation_name: 'Get /v{version}/customers',
    partner_tenant_id: '11111111-2222-3333-4444-555555555555',
    object_id: null,
    user_principal_name: 'admin@contoso.example',
    app_id: 'app-1',
    token_kind: 'user',
    mfa_compliant: true,
    outcome: 'denied',
    status_code: 403,
    reason: 'no role\nat all\0',
    ip_address: null
  }
  const line = journalCopyLine(entry)
  t.equal(line, [
    '2025-01-02T03:04:05.678Z', 'req-1', 'corr\\t1', 'GET', '/v1/customers', '\\N', 'Get /v{version}/customers',
    '11111111-2222-3333-4444-555555555555', '\\N', 'admin@contoso.example', 'app-1', 'user', 't',
    'denied', '403', 'no role\\nat all', '\\N'
  ].join('\t') + '\n')
  t.equal(line.split('\n').length, 2, 'one line')
  t.equal(line.slice(0, -1).split('\t').length, 17, '17 columns')

  const sparse = journalCopyLine({
    occurred_at: 0, request_id: 'r', correlation_id: 'c', method: 'POST', path: '/', outcome: 'allowed', status_code: 200, reason: '', mfa_compliant: false
  })
  const columns = sparse.slice(0, -1).split('\t')
  t.equal(columns.length, 17)
  t.equal(columns[0], '1970-01-01T00:00:00.000Z', 'ISO time first')
  t.same(columns.slice(5, 12), ['\\N', '\\N', '\\N', '\\N', '\\N', '\\N', '\\N'], 'omitted columns are null')
  t.same(columns.slice(12), ['f', 'allowed', '200', '', '\\N'])
})
