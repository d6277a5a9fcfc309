/** The decoder table: one entry per DecoderId, each in its own file. */
import type { DecoderId } from '../../../api/inspect'
import { base64Format } from './base64'
import { cborFormat } from './cbor'
import { deflateFormat, gzipFormat, zlibFormat } from './compressed'
import type { Format } from './format'
import { imageFormat } from './image'
import { jsonFormat } from './json'
import { msgpackFormat } from './msgpack'
import { numberFormat } from './number'
import { protobufRawFormat } from './protobuf-raw'
import { avroFormat, protobufFormat } from './schema-formats'
import { sparkplugFormat } from './sparkplug'
import { hexFormat, textFormat } from './text'

export const FORMATS: Readonly<Record<DecoderId, Format>> = {
  text: textFormat,
  json: jsonFormat,
  hex: hexFormat,
  base64: base64Format,
  msgpack: msgpackFormat,
  cbor: cborFormat,
  protobuf: protobufFormat,
  'protobuf-raw': protobufRawFormat,
  sparkplug: sparkplugFormat,
  avro: avroFormat,
  gzip: gzipFormat,
  zlib: zlibFormat,
  deflate: deflateFormat,
  image: imageFormat,
  number: numberFormat,
}
