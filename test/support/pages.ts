// A browser without a browser, for the sign-in pages: keeps cookies, follows the emulator's own
// redirects, reads a page's form (its action and hidden fields, the CSRF token among them) and submits
// it. Stops at a redirect leaving the emulator (the client's redirect URI). It talks to the app through
// inject(), or to a listening server through fetch (over HTTPS for the real client libraries' tests).
import type { FastifyInstance } from 'fastify'

export const BASE = 'http://127.0.0.1:8080'

export interface PageResponse { statusCode: number, headers: Record<string, string | undefined>, body: string }

/** One HTTP exchange, with the cookies to send; answers the response and the Set-Cookie headers. */
type Send = (method: 'GET' | 'POST', path: string, cookie: string, body?: string) => Promise<{ response: PageResponse, setCookies: string[] }>

export interface Landing {
  /** The last response: a page, or the redirect that left the emulator. */
  response: PageResponse
  /** Where the browser was sent outside the emulator, if it was. */
  location?: URL
}

const FORM = 'application/x-www-form-urlencoded'

export class PageBrowser {
  readonly cookies = new Map<string, string>()
  readonly base: string
  readonly #send: Send

  /** Through the app's inject() (base http://127.0.0.1:8080), or fetch against `base`. */
  constructor (target: FastifyInstance | string) {
    if (typeof target === 'string') {
      this.base = target
      this.#send = async (method, path, cookie, body) => {
        const res = await fetch(new URL(path, target), { method, redirect: 'manual', headers: { cookie, ...(body !== undefined ? { 'content-type': FORM } : {}) }, body })
        return { response: { statusCode: res.status, headers: Object.fromEntries(res.headers), body: await res.text() }, setCookies: res.headers.getSetCookie() }
      }
    } else {
      this.base = BASE
      this.#send = async (method, path, cookie, body) => {
        const res = await target.inject({ method, url: path, headers: { cookie, ...(body !== undefined ? { 'content-type': FORM } : {}) }, ...(body !== undefined ? { payload: body } : {}) })
        const setCookie = res.headers['set-cookie']
        return {
          response: { statusCode: res.statusCode, headers: res.headers as Record<string, string | undefined>, body: res.body },
          setCookies: setCookie === undefined ? [] : Array.isArray(setCookie) ? setCookie : [setCookie]
        }
      }
    }
  }

  /** GET a URL (absolute on the emulator, or a path) and follow the emulator's redirects. */
  async open (url: string): Promise<Landing> {
    return this.follow(await this.request('GET', url))
  }

  /** Submits the page's (only or matching) form with these fields besides its hidden ones. */
  async submit (page: PageResponse, fields: Record<string, string>, formAction?: RegExp): Promise<Landing> {
    const form = formOf(page.body, formAction)
    return this.follow(await this.request('POST', form.action, new URLSearchParams({ ...form.hidden, ...fields }).toString()))
  }

  private async follow (response: PageResponse): Promise<Landing> {
    for (let hops = 0; hops < 10; hops++) {
      if (response.statusCode !== 302) return { response }
      const location = new URL(String(response.headers.location), this.base)
      if (location.origin !== new URL(this.base).origin) return { response, location }
      response = await this.request('GET', location.pathname + location.search)
    }
    throw new Error('too many redirects')
  }

  async request (method: 'GET' | 'POST', url: string, body?: string): Promise<PageResponse> {
    const path = url.startsWith(this.base) ? url.slice(this.base.length) : url
    const { response, setCookies } = await this.#send(method, path, [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '), body)
    for (const header of setCookies) {
      const [pair = '', ...attributes] = header.split(';')
      const [name = '', value = ''] = pair.trim().split(/=(.*)/s)
      const expires = attributes.map((a) => /^\s*expires=(.*)$/i.exec(a)?.[1]).find(Boolean)
      if (value === '' || (expires && Date.parse(expires) < Date.now())) this.cookies.delete(name)
      else this.cookies.set(name, value)
    }
    return response
  }
}

/** A page's form: its action and hidden fields. */
export function formOf (html: string, action?: RegExp): { action: string, hidden: Record<string, string> } {
  const forms = [...html.matchAll(/<form method="post" action="([^"]*)">([\s\S]*?)<\/form>/g)]
  const form = action ? forms.find((f) => action.test(f[1]!)) : forms[0]
  if (!form) throw new Error(`no form on the page: ${html.slice(0, 400)}`)
  const hidden = Object.fromEntries([...form[2]!.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1]!, unescape(m[2]!)]))
  return { action: unescape(form[1]!), hidden }
}

const unescape = (text: string) => text.replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&')

/** The page's step, from its heading. */
export const headingOf = (html: string) => /<h1>([^<]*)<\/h1>/.exec(html)?.[1]
