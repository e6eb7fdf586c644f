// A free TCP port on the loopback interface, for a server whose PUBLIC_BASE_URL must name its port
// before it starts (the identity provider's links and issuer do).
import { createServer } from 'node:net'

export async function freePort (): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}
