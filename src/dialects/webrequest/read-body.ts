import { parse as parseQueryString } from 'node:querystring'
import secureJson from 'secure-json-parse'
import { HttpError } from '../../errors.js'
import { appendField, parseMultipart, type MultipartLimits, type UploadedFile } from '../../http/multipart.js'

export interface DecodedBody {
  body: unknown
  /** The bytes as received: UTF-8 text for textual types, base64 for anything else. */
  rawBody: string
  files: UploadedFile[]
}

const isJson = (type: string): boolean => type === 'application/json' || type.endsWith('+json')
const isText = (type: string): boolean => type.startsWith('text/') || type === 'application/xml' || type.endsWith('+xml')

function decodeText (raw: Buffer, charset: string | undefined): string {
  try {
    return new TextDecoder(charset ?? 'utf-8').decode(raw)
  } catch {
    return raw.toString('utf8')
  }
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
export async function readBody (raw: Buffer | undefined, contentTypeHeader: string | undefined, limits: MultipartLimits): Promise<DecodedBody> {
  const bytes = raw ?? Buffer.alloc(0)
  const [mediaType, ...params] = (contentTypeHeader ?? '').split(';').map((part) => part.trim())
  const type = mediaType.toLowerCase()
  const charset = params.map((param) => /^charset="?([^";]+)"?$/i.exec(param)?.[1]).find(Boolean)

  if (bytes.length === 0) return { body: null, rawBody: '', files: [] }

  if (isJson(type)) {
    const text = decodeText(bytes, charset)
    try {
      return { body: secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' }), rawBody: text, files: [] }
    } catch (err) {
      throw new HttpError(400, `malformed JSON body: ${(err as Error).message}`)
    }
  }
  if (type === 'application/x-www-form-urlencoded') {
    const text = decodeText(bytes, charset)
    return { body: parseForm(text), rawBody: text, files: [] }
  }
  if (type === 'multipart/form-data') {
    const { fields, files } = await parseMultipart(bytes, contentTypeHeader!, limits)
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
