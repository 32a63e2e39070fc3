/**
 * The tokens shipped in config.example.json. They are public, so a server reachable from other
 * machines must not accept them (a test keeps this list and the example file in step).
 */
export const DEMO_TOKENS: ReadonlySet<string> = new Set([
  'example-admin-token-change-me',
  'example-viewer-token-change-me',
  's3cr3t-t0ken-42',
  'demo-editor-token-0123456789',
  'demo-member-token-0123456789',
  'demo-device-token-0123456789',
  'demo-hmac-secret-0123'
])

const LOOPBACK_HOSTS = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|localhost|::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3})$/

export const isLoopbackHost = (host: string): boolean => LOOPBACK_HOSTS.test(host)
