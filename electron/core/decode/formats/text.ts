/** Text: UTF-8, invalid bytes shown as U+FFFD and counted. Always succeeds. */
import { decodeUtf8Lossy } from '../text-scan'
import { note } from '../sentences'
import type { Format } from './format'

export const textFormat: Format = {
  id: 'text',
  label: 'text',
  decode(bytes) {
    const { text, invalidUtf8 } = decodeUtf8Lossy(bytes)
    return { kind: 'final', result: { kind: 'text', text, invalidUtf8 }, note: invalidUtf8 > 0 ? note(`${invalidUtf8.toLocaleString('en-US')} invalid UTF-8 ${invalidUtf8 === 1 ? 'sequence' : 'sequences'}`, 'invalidUtf8', { n: invalidUtf8 }) : undefined }
  },
}

export const hexFormat: Format = {
  id: 'hex',
  label: 'hex',
  decode: () => ({ kind: 'final', result: { kind: 'hex' } }),
}
