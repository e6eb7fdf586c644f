// The sign-in pages, rendered on the server: no scripts but the form_post hand-over, no assets from
// elsewhere. Every value written into a page is HTML-escaped (escape-html); only the QR code's SVG,
// which the qrcode library makes, goes in as it is. Every form carries the CSRF token.
import escapeHtml from 'escape-html'
import type { Page } from './outcome.js'

/** Trusted markup, written as it is. */
class Raw {
  readonly html: string
  constructor (html: string) { this.html = html }
}
const raw = (html: string) => new Raw(html)

/** A template whose interpolations are escaped, unless they are Raw (or lists of Raw). */
function html (strings: TemplateStringsArray, ...values: unknown[]): Raw {
  const text = (value: unknown): string => value instanceof Raw ? value.html : Array.isArray(value) ? value.map(text).join('') : escapeHtml(String(value ?? ''))
  return raw(strings.reduce((out, part, i) => out + part + (i < values.length ? text(values[i]) : ''), ''))
}

function layout (title: string, body: Raw): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Partner Center emulator</title>
<style>
  body { font-family: "Segoe UI", system-ui, sans-serif; background: #f2f2f2; margin: 0; }
  main { max-width: 440px; margin: 8vh auto; background: #fff; padding: 44px; box-shadow: 0 2px 6px rgba(0,0,0,.2); }
  h1 { font-size: 24px; font-weight: 600; margin: 0 0 16px; }
  p, li { font-size: 15px; line-height: 1.45; }
  label { display: block; margin: 16px 0 4px; font-size: 14px; }
  input[type=text], input[type=password], input[type=email] { width: 100%; box-sizing: border-box; padding: 8px; font-size: 15px; border: 0; border-bottom: 1px solid #666; }
  button { margin-top: 24px; background: #0067b8; color: #fff; border: 0; padding: 8px 32px; font-size: 15px; cursor: pointer; }
  .error { color: #e81123; }
  .note { color: #555; font-size: 13px; }
  code { font-size: 16px; letter-spacing: 1px; word-break: break-all; }
  .banner { background: #fff4ce; padding: 8px; font-size: 13px; margin-bottom: 16px; }
</style>
</head>
<body><main>
<div class="banner">Partner Center emulator: a development identity provider. Never enter a real password here.</div>
${body}
</main></body>
</html>`.html
}

const errorLine = (error: string | undefined) => error ? html`<p class="error" role="alert">${error}</p>` : raw('')
const csrfField = (token: string) => html`<input type="hidden" name="_csrf" value="${token}">`

/** A page of the sign-in, with the CSRF token its form posts back. */
export function renderPage (page: Page, csrf: string): string {
  switch (page.step) {
    case 'password':
      return layout('Sign in', html`
<h1>Sign in</h1>
${page.appName ? html`<p>to continue to ${page.appName}</p>` : ''}
${errorLine(page.error)}
<form method="post" action="/sign-in/${page.requestId}/password">
  ${csrfField(csrf)}
  <label for="username">Email, phone, or Skype</label>
  <input type="email" id="username" name="username" value="${page.loginHint}" autocomplete="username" required autofocus>
  <label for="password">Password</label>
  <input type="password" id="password" name="password" autocomplete="current-password">
  <button type="submit">Sign in</button>
</form>`)
    case 'federation':
      return layout(page.provider, html`
<h1>${page.provider}</h1>
<p>Your organization signs you in here, and verifies you with its own second factor.</p>
<p class="note">A simulated federated identity provider: Entra sent ${page.userName} here.</p>
${errorLine(page.error)}
<form method="post" action="/sign-in/${page.requestId}/federation">
  ${csrfField(csrf)}
  <label for="password">Password for ${page.userName}</label>
  <input type="password" id="password" name="password" autocomplete="current-password" autofocus>
  <label><input type="checkbox" name="approve" value="yes"> I approve this sign-in on my phone (the provider's second factor)</label>
  <button type="submit">Sign in</button>
</form>`)
    case 'mfa':
      return layout('Enter code', html`
<h1>Enter code</h1>
<p>Enter the code displayed in the authenticator app on your mobile device for ${page.userName}.</p>
${errorLine(page.error)}
<form method="post" action="/sign-in/${page.requestId}/totp">
  ${csrfField(csrf)}
  <label for="code">Code</label>
  <input type="text" id="code" name="code" inputmode="numeric" pattern="[0-9]{6}" autocomplete="one-time-code" required autofocus>
  <button type="submit">Verify</button>
</form>`)
    case 'register':
      return layout('Keep your account secure', html`
<h1>Keep your account secure</h1>
<p>Your organization requires you to set up multifactor authentication for ${page.userName}.</p>
<p><strong>Method: authenticator app.</strong> Scan the QR code with your authenticator app.</p>
<div aria-label="QR code">${raw(page.qrSvg)}</div>
<p>Can't scan the image? Enter this secret key in your app:</p>
<p><code id="secret">${page.secret}</code></p>
<p class="note">Or open <code>${page.uri}</code></p>
${errorLine(page.error)}
<form method="post" action="/sign-in/${page.requestId}/totp">
  ${csrfField(csrf)}
  <label for="code">Enter the 6-digit code the app shows, to confirm it</label>
  <input type="text" id="code" name="code" inputmode="numeric" pattern="[0-9]{6}" autocomplete="one-time-code" required>
  <button type="submit">Next</button>
</form>`)
    case 'device':
      return layout('Enter code', html`
<h1>Enter code</h1>
<p>Enter the code displayed on your app or device.</p>
${errorLine(page.error)}
<form method="post" action="/devicelogin">
  ${csrfField(csrf)}
  <label for="user_code">Code</label>
  <input type="text" id="user_code" name="user_code" autocomplete="off" required autofocus>
  <button type="submit">Next</button>
</form>`)
    case 'device-confirm':
      return layout('Continue?', html`
<h1>Are you trying to sign in to ${page.appName}?</h1>
<p>Only continue if you started this sign-in on your own device, and it shows the code you entered.</p>
<form method="post" action="/devicelogin/confirm">
  ${csrfField(csrf)}
  <input type="hidden" name="user_code" value="${page.userCode}">
  <button type="submit" name="decision" value="continue">Continue</button>
  <button type="submit" name="decision" value="cancel">Cancel</button>
</form>`)
    case 'device-declined':
      return layout('Sign-in cancelled', html`
<h1>You cancelled the sign-in</h1>
<p>${page.appName} on your device will not be signed in. You may now close this window.</p>`)
    case 'device-done':
      return layout('Signed in', html`
<h1>You have signed in</h1>
<p>You have signed in to the ${page.appName} application on your device. You may now close this window.</p>`)
    case 'signed-out':
      return layout('Signed out', html`<h1>You signed out of your account</h1><p>It's a good idea to close all browser windows.</p>`)
    case 'error':
      return layout('Sign-in error', html`
<h1>Sorry, but we're having trouble signing you in.</h1>
<p class="error" role="alert">AADSTS${page.error.aadsts}: ${page.error.message}</p>`)
  }
}

/** The form_post response mode: the browser posts the answer to the client's redirect URI. */
export function renderFormPost (action: string, fields: Record<string, string>): string {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Working...</title></head>
<body onload="document.forms[0].submit()">
<form method="post" action="${action}">
${Object.entries(fields).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}
<noscript><button type="submit">Continue</button></noscript>
</form>
</body></html>`.html
}
