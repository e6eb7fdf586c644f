// Azure Storage's error document, for the export files the emulator serves as Azure Storage would:
// `<Error><Code>…</Code><Message>…</Message></Error>`, the code also in `x-ms-error-code`.
import escapeHtml from 'escape-html'

/** Azure Storage's code for a refusal of a given status, where the refusal has no more precise one. */
export function storageCodeOf (status: number): string {
  if (status === 400) return 'InvalidInput'
  if (status === 403) return 'AuthenticationFailed'
  if (status === 404) return 'ResourceNotFound'
  if (status === 405) return 'UnsupportedHttpVerb'
  if (status === 416) return 'InvalidRange'
  return status >= 500 || status === 429 ? 'ServerBusy' : 'InvalidInput'
}

export function storageErrorDocument (code: string, message: string, requestId: string): string {
  return `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${escapeHtml(message)}\nRequestId:${requestId}\nTime:${new Date().toISOString()}</Message></Error>`
}
