// A TCP proxy between the service and PostgreSQL that a test can cut (every connection reset, new ones
// refused) or stall (connections accepted, nothing forwarded either way), then restore.
import { connect, createServer, type Server, type Socket } from 'node:net'

export interface TcpProxy {
  port: number
  cut: () => void
  stall: () => void
  restore: () => void
  close: () => Promise<void>
}

export async function startTcpProxy (targetHost: string, targetPort: number): Promise<TcpProxy> {
  let mode: 'open' | 'cut' | 'stalled' = 'open'
  const sockets = new Set<Socket>()
  const server: Server = createServer((client) => {
    if (mode === 'cut') return client.destroy()
    const upstream = connect(targetPort, targetHost)
    for (const socket of [client, upstream]) {
      sockets.add(socket)
      socket.on('close', () => sockets.delete(socket))
      socket.on('error', () => { client.destroy(); upstream.destroy() })
    }
    // While stalled, what arrives is held back: paused streams buffer without forwarding.
    client.on('data', (chunk) => { if (mode === 'open') upstream.write(chunk) })
    upstream.on('data', (chunk) => { if (mode === 'open') client.write(chunk) })
    client.on('end', () => upstream.end())
    upstream.on('end', () => client.end())
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    port: (server.address() as { port: number }).port,
    cut: () => {
      mode = 'cut'
      for (const socket of sockets) socket.destroy()
    },
    stall: () => { mode = 'stalled' },
    restore: () => {
      // Connections that lived through a stall lost bytes: they are of no further use.
      if (mode === 'stalled') for (const socket of sockets) socket.destroy()
      mode = 'open'
    },
    close: () => {
      for (const socket of sockets) socket.destroy()
      return new Promise((resolve) => server.close(() => resolve()))
    }
  }
}
