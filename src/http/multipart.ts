import { Busboy } from '@fastify/busboy'
import { HttpError } from '../errors.js'

export interface UploadedFile {
  /** The form field the file came in. */
  name: string
  filename: string
  mimetype: string
  size: number
  /** File content, base64-encoded. */
  content: string
}

export interface MultipartLimits {
  maxFileBytes: number
  maxFiles: number
  maxFields: number
}

export function appendField (fields: Record<string, unknown>, name: string, value: unknown): void {
  if (!Object.hasOwn(fields, name)) {
    Object.defineProperty(fields, name, { value, enumerable: true, writable: true, configurable: true })
    return
  }
  const current = fields[name]
  fields[name] = Array.isArray(current) ? [...current, value] : [current, value]
}

/**
 * Parses a buffered multipart body: fields into one object, files into a separate list, so a
 * field can never pose as file metadata (or the other way round).
 */
export async function parseMultipart (raw: Buffer, contentType: string, limits: MultipartLimits): Promise<{ fields: Record<string, unknown>, files: UploadedFile[] }> {
  return await new Promise((resolve, reject) => {
    const fields: Record<string, unknown> = {}
    const files: UploadedFile[] = []
    let failure: HttpError | undefined
    const fail = (error: HttpError): void => { failure ??= error }

    let parser
    try {
      parser = Busboy({
        headers: { 'content-type': contentType },
        limits: { fileSize: limits.maxFileBytes, files: limits.maxFiles, fields: limits.maxFields, fieldSize: raw.length }
      })
    } catch (err) {
      reject(new HttpError(400, `malformed multipart body: ${(err as Error).message}`))
      return
    }
    parser.on('field', (name: string, value: string) => appendField(fields, name, value))
    parser.on('file', (name: string, stream: NodeJS.ReadableStream, filename: string, _encoding: string, mimetype: string) => {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('limit', () => fail(new HttpError(413, `file "${filename}" is larger than ${limits.maxFileBytes} bytes`)))
      stream.on('end', () => {
        const content = Buffer.concat(chunks)
        files.push({ name, filename, mimetype, size: content.length, content: content.toString('base64') })
      })
    })
    parser.on('filesLimit', () => fail(new HttpError(413, `more than ${limits.maxFiles} files`)))
    parser.on('fieldsLimit', () => fail(new HttpError(413, `more than ${limits.maxFields} fields`)))
    parser.on('error', (err: unknown) => reject(new HttpError(400, `malformed multipart body: ${(err as Error).message}`)))
    parser.on('finish', () => failure === undefined ? resolve({ fields, files }) : reject(failure))
    parser.end(raw)
  })
}
