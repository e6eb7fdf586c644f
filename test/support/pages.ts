// A browser without a browser, for the sign-in pages through inject(): keeps cookies, follows the
// emulator's own redirects, reads a page's form (its action and hidden fields, the CSRF token among
// them) and submits it. Stops at a redirect leaving the emulator (the client's redirect URI).
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'

export const BASE = 'http://127.0.0.1:8080'

export interface Landing {
  /** The last response: a page, or the redirect that left the emulator. */
  response: LightMyRequestResponse
  /** Where the browser was sent outside the emulator, if it was. */
  location?: URL
}

export class PageBrowser {
  readonly cookies = new Map<string, string>()
  private readonly app: FastifyInstance
  constructor (app: FastifyInstance) { this.app = app }

  /** GET a URL (absolute on the emulator, or a path) and follow the emulator's redirects. */
  async open (url: string): Promise<Landing> {
    return this.follow(await this.request('GET', url))
  }

  /** Submits the page's (only or named) form with these fields besides its hidden ones. */
  async submit (page: LightMyRequestResponse, fields: Record<string, string>, formAction?: RegExp): Promise<Landing> {
    const form = formOf(page.body, formAction)
    return this.follow(await this.request('POST', form.action, new URLSearchParams({ ...form.hidden, ...fields }).toString()))
  }

  private async follow (response: LightMyRequestResponse): Promise<Landing> {
    for (let hops = 0; hops < 10; hops++) {
      if (response.statusCode !== 302) return { response }
      const location = new URL(String(response.headers.location), BASE)
      if (location.origin !== BASE) return { response, location }
      response = await this.request('GET', location.pathname + location.search)
    }
    throw new Error('too many redirects')
  }

  async request (method: 'GET' | 'POST', url: string, body?: string): Promise<LightMyRequestResponse> {
    const path = url.startsWith(BASE) ? url.slice(BASE.length) : url
    const response = await this.app.inject({
      method,
      url: path,
      headers: {
        cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(body !== undefined ? { 'content-type': 'application/x-www-form-urlencoded' } : {})
      },
      ...(body !== undefined ? { payload: body } : {})
    })
    for (const c of response.cookies as Array<{ name: string, value: string, expires?: Date }>) {
      if (c.value === '' || (c.expires && c.expires.getTime() < Date.now())) this.cookies.delete(c.name)
      else this.cookies.set(c.name, c.value)
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
