import { Webhook } from 'standardwebhooks'
import { describe, expect, it } from 'vitest'
import { createAddressGuard } from '../../src/egress/address-guard.js'
import { EgressError } from '../../src/egress/egress-error.js'
import { standardWebhookHeaders } from '../../src/egress/sign.js'
import { createUrlPolicy } from '../../src/egress/url-policy.js'

const check = createUrlPolicy({ allow: ['https://another\\.host\\.com/.*', 'http://127\\.0\\.0\\.1/.*', 'https://api\\.example\\.com:8443/.*'], ports: [80, 443, 8443] })
const refusal = (url: string): string => {
  try {
    check(url)
  } catch (err) {
    return (err as EgressError).message
  }
  return 'allowed'
}

describe('URL policy', () => {
  it('matches the whole normalised URL', () => {
    expect(check('HTTPS://Another.Host.COM/path?q=1').href).toBe('https://another.host.com/path?q=1')
    expect(refusal('https://another.host.com.evil.net/')).toBe('url not allowed')
    expect(refusal('https://evil.net/?https://another.host.com/')).toBe('url not allowed')
    expect(refusal('https://evil.net/#https://another.host.com/')).toBe('url not allowed')
  })

  it('refuses user-info, other schemes and ports not listed', () => {
    expect(refusal('https://another.host.com@evil.net/')).toMatch(/user-info/)
    expect(refusal('https://user:pw@another.host.com/')).toMatch(/user-info/)
    expect(refusal('file:///etc/passwd')).toMatch(/only http and https/)
    expect(refusal('ftp://another.host.com/')).toMatch(/only http and https/)
    expect(refusal('https://another.host.com:8080/')).toMatch(/port 8080 is not in egress\.ports/)
    expect(check('https://api.example.com:8443/x').port).toBe('8443')
  })

  it('refuses numeric spellings of an address', () => {
    for (const url of ['http://2130706433/', 'http://0x7f.1/', 'http://0177.0.0.1/', 'http://127.1/']) {
      expect(refusal(url), url).toMatch(/numeric host form/)
    }
    expect(check('http://127.0.0.1/x').hostname).toBe('127.0.0.1')
  })
})

describe('SSRF guard', () => {
  const guard = createAddressGuard([])
  it.each([
    '127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '100.64.0.1', '169.254.169.254', '0.0.0.0', '224.0.0.1', '255.255.255.255',
    '::1', '::', 'fd00::1', 'fe80::1', '::ffff:a9fe:a9fe', '::ffff:127.0.0.1', '64:ff9b::a9fe:a9fe', '2002:a9fe:a9fe::1', 'ff02::1'
  ])('refuses %s', (address) => {
    expect(guard.isAllowed(address)).toBe(false)
  })
  it.each(['8.8.8.8', '93.184.216.34', '2606:4700:4700::1111'])('allows public %s', (address) => {
    expect(guard.isAllowed(address)).toBe(true)
  })
  it('lets allowNetworks through, IPv4-mapped forms included', () => {
    const local = createAddressGuard(['127.0.0.1/32', 'fd00::/8'])
    expect(local.isAllowed('127.0.0.1')).toBe(true)
    expect(local.isAllowed('::ffff:127.0.0.1')).toBe(true)
    expect(local.isAllowed('127.0.0.2')).toBe(false)
    expect(local.isAllowed('fd12::1')).toBe(true)
  })
  it('refuses a refused literal host before connecting', () => {
    expect(() => guard.checkLiteral('[::ffff:7f00:1]')).toThrow(/SSRF guard/)
    expect(() => guard.checkLiteral('example.com')).not.toThrow()
  })
})

describe('outbound signing', () => {
  it('matches the Standard Webhooks test vector', () => {
    const headers = standardWebhookHeaders('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', '{"test": 2432232314}', 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330)
    expect(headers['webhook-signature']).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=')
  })
  it('verifies with the standardwebhooks library', () => {
    const body = '{"hello":"world"}'
    const headers = standardWebhookHeaders('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', body)
    expect(new Webhook('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw').verify(body, headers)).toEqual({ hello: 'world' })
  })
})
