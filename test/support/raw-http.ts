// Sends hand-written HTTP/1.1 requests over a real socket, for what inject() cannot show: the
// status line's reason phrase, and how Node's parser treats repeated or oversized header lines.
import { connect } from 'node:net'
import type { FastifyInstance } from 'fastify'

export interface RawResponse { statusLine: string, status: number, headers: string, body: string }

/** Starts the app on an ephemeral loopback port and returns a function sending raw requests to it. */
export async function listen (app: FastifyInstance): Promise<(request: string) => Promise<RawResponse>> {
  await app.listen({ port: 0, host: '127.0.0.1' })
  const address = app.server.address()
  if (address === null || typeof address === 'string') throw new Error('no port')
  return (request) => new Promise((resolve, reject) => {
    const socket = connect(address.port, '127.0.0.1')
    let data = ''
    socket.setEncoding('utf8')
    socket.on('data', (chunk) => { data += chunk })
    socket.on('error', reject)
    socket.on('end', () => {
      const [head = '', body = ''] = data.split('\r\n\r\n')
      const statusLine = head.split('\r\n')[0] ?? ''
      resolve({ statusLine, status: Number(statusLine.split(' ')[1]), headers: head, body })
    })
    // write, not end: a half-closed client socket makes Node drop the request before an async answer.
    socket.write(request)
  })
}

/** A GET with the given header lines and Connection: close. */
export const rawGet = (path: string, headerLines: string[]) =>
  [`GET ${path} HTTP/1.1`, 'Host: 127.0.0.1', ...headerLines, 'Connection: close', '', ''].join('\r\n')
