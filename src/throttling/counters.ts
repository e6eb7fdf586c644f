// Fixed-window request counters: in Redis when REDIS_URL is set, so that every instance behind one
// name counts against one limit; in this process otherwise. A window opens at a counter's first hit
// and lasts windowSeconds; every request in it counts, the refused ones too (Partner Center: "all
// requests accrue against the usage limit", so retrying at once only prolongs the throttling).
import { Redis } from 'ioredis'

export interface Hit {
  /** Requests counted in the current window, this one included. */
  count: number
  /** Milliseconds until the window closes. */
  resetMs: number
}

export interface Counters {
  hit: (key: string, windowMs: number) => Promise<Hit>
  /** Forgets every counter (the control plane's reset). */
  clear: () => Promise<void>
  close: () => Promise<void>
}

/** Counters of this process only: enough for one instance, and what tests without Redis use. */
export function memoryCounters (now: () => number = Date.now): Counters {
  const windows = new Map<string, { count: number, endsAt: number }>()
  let lastSweep = now()
  return {
    async hit (key, windowMs) {
      const t = now()
      // Expired windows are dropped now and then, so that the map does not grow with every customer ever seen.
      if (t - lastSweep > 60_000) {
        for (const [k, w] of windows) if (w.endsAt <= t) windows.delete(k)
        lastSweep = t
      }
      let window = windows.get(key)
      if (!window || window.endsAt <= t) {
        window = { count: 0, endsAt: t + windowMs }
        windows.set(key, window)
      }
      window.count++
      return { count: window.count, resetMs: window.endsAt - t }
    },
    async clear () { windows.clear() },
    async close () { windows.clear() }
  }
}

// One round trip, atomic: the increment and the window's expiry can never be separated (a crash
// between an INCR and its PEXPIRE would leave a counter that never resets).
const HIT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}
`

/** Counters in Redis under `prefix`, shared by every instance given the same URL and prefix. */
export function redisCounters (url: string, prefix: string, onError: (error: Error) => void): Counters {
  // No endless queueing while Redis is away: a request fails fast and the caller lets it through.
  const redis = new Redis(url, { maxRetriesPerRequest: 1, keyPrefix: prefix })
  // Without a listener ioredis prints every reconnection failure to the console.
  redis.on('error', onError)
  redis.defineCommand('throttleHit', { numberOfKeys: 1, lua: HIT_SCRIPT })
  return {
    async hit (key, windowMs) {
      const [count, ttl] = await (redis as unknown as ThrottleCommands).throttleHit(key, windowMs)
      return { count, resetMs: ttl }
    },
    async clear () {
      // SCAN does not apply keyPrefix to its pattern, and returns full key names; DEL applies it again.
      let cursor = '0'
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500)
        cursor = next
        if (keys.length > 0) await redis.del(...keys.map((k) => k.slice(prefix.length)))
      } while (cursor !== '0')
    },
    async close () {
      await redis.quit().catch(() => redis.disconnect())
    }
  }
}

interface ThrottleCommands { throttleHit: (key: string, windowMs: number) => Promise<[number, number]> }
