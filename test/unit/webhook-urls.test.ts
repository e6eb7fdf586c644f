// Which webhook URLs a registration takes: any http(s) URL in dev mode; outside it https only, and
// never a loopback, private or link-local address (the emulator must not POST into its own network).
import t from 'tap'
import { checkedUrl } from '../../src/api/webhooks/service.js'
import { ApiError } from '../../src/errors.js'

const refused = (url: string, devMode: boolean) => {
  try {
    checkedUrl(url, devMode)
    return false
  } catch (error) {
    return error instanceof ApiError && error.statusCode === 400 && error.code === 800002
  }
}

t.test('dev mode: any http(s) URL, loopback included', async (t) => {
  for (const url of ['http://127.0.0.1:9000/cb', 'http://localhost/cb', 'https://[::1]:8443/cb', 'http://10.0.0.5/cb', 'https://partner.example/hooks']) {
    t.notOk(refused(url, true), url)
  }
  t.equal(checkedUrl('HTTP://Partner.Example/a b', true), 'http://partner.example/a%20b', 'normalized')
})

t.test('everywhere: no other scheme, no credentials, no relative URL', async (t) => {
  for (const url of ['ftp://partner.example/x', 'file:///etc/passwd', 'javascript:alert(1)', 'data:text/plain,x', '/relative', 'https://u:p@partner.example/x', '']) {
    t.ok(refused(url, true), url)
    t.ok(refused(url, false), url)
  }
})

t.test('outside dev mode: https to a public host only', async (t) => {
  t.notOk(refused('https://partner.example/hooks', false))
  t.notOk(refused('https://203.0.113.7/hooks', false))
  for (const url of [
    'http://partner.example/hooks', 'https://localhost/x', 'https://api.localhost/x', 'https://127.0.0.1/x', 'https://127.1.2.3/x',
    'https://10.1.2.3/x', 'https://172.16.0.1/x', 'https://172.31.255.255/x', 'https://192.168.1.1/x', 'https://169.254.169.254/latest',
    'https://0.0.0.0/x', 'https://[::1]/x', 'https://[fd00::1]/x', 'https://[fe80::1]/x', 'https://[::ffff:127.0.0.1]/x', 'https://2130706433/x'
  ]) {
    t.ok(refused(url, false), url)
  }
})
