// Money in minor units (src/lib/money.ts): parsing decimal strings, formatting, scaling by a rate.
import t from 'tap'
import { fromMinor, scale, toMinor } from '../../src/lib/money.js'

t.test('toMinor', async (t) => {
  t.equal(toMinor('7.20'), 720n)
  t.equal(toMinor('7.2'), 720n, 'one decimal is tenths')
  t.equal(toMinor('7'), 700n)
  t.equal(toMinor('0.05'), 5n)
  t.equal(toMinor('0'), 0n)
  t.equal(toMinor('-1.05'), -105n)
  t.equal(toMinor('-0.5'), -50n)
  t.equal(toMinor('12345678901234567.89'), 1234567890123456789n, 'beyond a double\'s precision')
  t.equal(toMinor('007.10'), 710n)
  for (const bad of ['7.201', '0.001', '1.', '.5', '+1', '', ' 7', '7 ', '1,50', '1e2', 'abc', '--1', '-', 'NaN', '1.2.3']) {
    t.throws(() => toMinor(bad), { message: `not a money amount: ${bad}` }, JSON.stringify(bad))
  }
})

t.test('fromMinor', async (t) => {
  t.equal(fromMinor(979n), '9.79')
  t.equal(fromMinor(720n), '7.20')
  t.equal(fromMinor(700n), '7.00')
  t.equal(fromMinor(0n), '0.00')
  t.equal(fromMinor(5n), '0.05', 'less than one')
  t.equal(fromMinor(99n), '0.99')
  t.equal(fromMinor(-5n), '-0.05', 'negative and less than one')
  t.equal(fromMinor(-105n), '-1.05')
  t.equal(fromMinor(1234567890123456789n), '12345678901234567.89')
  for (const amount of ['0.00', '0.01', '-0.01', '9.79', '-1234.50', '100.00']) {
    t.equal(fromMinor(toMinor(amount)), amount, `${amount} round trips`)
  }
})

t.test('scale', async (t) => {
  t.equal(scale(1000n, '1.36'), 1360n)
  t.equal(scale(1000n, '0.85'), 850n)
  t.equal(scale(1000n, '1'), 1000n, 'an integer rate')
  t.equal(scale(1000n, '0'), 0n)
  t.equal(scale(0n, '1.36'), 0n)

  t.equal(scale(5n, '0.5'), 3n, '2.5 rounds up')
  t.equal(scale(3n, '0.5'), 2n, '1.5 rounds up')
  t.equal(scale(1n, '0.49'), 0n, '0.49 rounds down')
  t.equal(scale(1n, '0.51'), 1n)
  t.equal(scale(-5n, '0.5'), -3n, '-2.5 rounds away from zero')
  t.equal(scale(-1n, '0.49'), 0n, '-0.49 rounds to zero')
  t.equal(scale(-1n, '0.5'), -1n)
  t.equal(scale(-1000n, '1.36'), -1360n)
  t.equal(scale(-999n, '0.85'), -849n, '-849.15')
  t.equal(scale(999n, '0.85'), 849n, '849.15')

  t.equal(scale(100n, '1.123456789'), 112n, '112.3456789')
  t.equal(scale(100000n, '0.333333333333'), 33333n, '33333.3333')
  t.equal(scale(3n, '0.166666666666666666666667'), 1n, '0.5000000000000000000000001 rounds up')
  t.equal(scale(1n, '0.500000000000000000000000'), 1n, 'an exact half with many zeros')
  t.equal(scale(1n, '0.499999999999999999999999'), 0n)

  for (const bad of ['-1', '-0.5', '.5', '1.', '1e2', '', ' 1', '1,5', 'abc', '+1']) {
    t.throws(() => scale(100n, bad), { message: `not a rate: ${bad}` }, JSON.stringify(bad))
  }
})
