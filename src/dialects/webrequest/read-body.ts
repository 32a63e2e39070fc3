import { parse as parseQueryString } from 'node:querystring'
import secureJson from 'secure-json-parse'
import { HttpError } from '../../errors.js'
import { appendField, parseMultipart, type MultipartLimits, type UploadedFile } from '../../http/multipart.js'
import { oncePerKey } from '../../once-per-key.js'

export interface DecodedBody {
  body: unknown
  /** The bytes as received: UTF-8 text for textual types, base64 for anything else. */
  rawBody: string
  files: UploadedFile[]
}

const isJson = (type: string): boolean => type === 'application/json' || type.endsWith('+json')
const isText = (type: string): boolean => type.startsWith('text/') || type === 'application/xml' || type.endsWith('+xml')

/** Header texts are the caller's to choose: at most this many are remembered. */
const MAX_HEADER_TEXTS = 64

/** A decoder is stateless between whole-buffer `decode` calls, so one per charset serves every request. */
const decoderFor = oncePerKey((charset: string) => new TextDecoder(charset, { fatal: true }), MAX_HEADER_TEXTS)

/** What a Content-Type text says, parsed once per distinct text: clients send the same few. */
const contentTypeOf = oncePerKey((header: string) => {
  const [mediaType, ...params] = header.split(';').map((part) => part.trim())
  return {
    type: mediaType.toLowerCase(),
    charset: params.map((param) => /^charset="?([^";]+)"?$/i.exec(param)?.[1]).find(Boolean)
  }
}, MAX_HEADER_TEXTS)

/** Text in its declared charset; bytes that are not valid in it are the caller's 400. */
function decodeText (raw: Buffer, charset: string | undefined): string {
  let decoder: TextDecoder
  try {
    decoder = decoderFor(charset ?? 'utf-8')
  } catch {
    throw new HttpError(400, `unsupported charset ${JSON.stringify(charset)}`)
  }
  try {
    return decoder.decode(raw)
  } catch {
    throw new HttpError(400, `body is not valid ${decoder.encoding}`)
  }
}

/** How deeply a parsed value nests; stops counting past `limit`. Iterative: deep input cannot overflow the stack. */
export function nestingDeeperThan (value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]]
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!
    if (item === null || typeof item !== 'object') continue
    if (depth >= limit) return true
    for (const child of Object.values(item)) stack.push([child, depth + 1])
  }
  return false
}

export interface BodyLimits {
  multipart: MultipartLimits
  /** Deepest JSON nesting accepted. */
  maxJsonDepth: number
}

function parseForm (text: string): Record<string, unknown> {
  const fields: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(parseQueryString(text))) {
    for (const item of Array.isArray(value) ? value : [value]) appendField(fields, name, item)
  }
  return fields
}

/**
 * Decodes a web request body by its declared type. A body that does not parse as that type is
 * the caller's mistake: 400, never a scenario run on half-understood input.
 */
export async function readBody (raw: Buffer | undefined, contentTypeHeader: string | undefined, limits: BodyLimits): Promise<DecodedBody> {
  const bytes = raw ?? Buffer.alloc(0)
  const { type, charset } = contentTypeOf(contentTypeHeader ?? '')

  if (bytes.length === 0) return { body: null, rawBody: '', files: [] }

  if (isJson(type)) {
    const text = decodeText(bytes, charset)
    let body: unknown
    try {
      body = secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' })
    } catch (err) {
      throw new HttpError(400, `malformed JSON body: ${(err as Error).message}`)
    }
    // Nesting deeper than the limit takes at least limit + 1 opening and as many closing brackets: a shorter text cannot.
    if (text.length >= 2 * (limits.maxJsonDepth + 1) && nestingDeeperThan(body, limits.maxJsonDepth)) throw new HttpError(400, `JSON body nests deeper than ${limits.maxJsonDepth} levels`)
    return { body, rawBody: text, files: [] }
  }
  if (type === 'application/x-www-form-urlencoded') {
    const text = decodeText(bytes, charset)
    return { body: parseForm(text), rawBody: text, files: [] }
  }
  if (type === 'multipart/form-data') {
    const { fields, files } = await parseMultipart(bytes, contentTypeHeader!, limits.multipart)
    return { body: fields, rawBody: bytes.toString('base64'), files }
  }
  if (isText(type)) {
    const text = decodeText(bytes, charset)
    return { body: text, rawBody: text, files: [] }
  }
  // Anything else is opaque bytes: kept exactly, as base64.
  const base64 = bytes.toString('base64')
  return { body: base64, rawBody: base64, files: [] }
}
