/**
 * Sentences the main side writes that are not errors: warnings, progress, notes, reasons. Each
 * travels as a {@link Notice}: a stable code, the values its sentence needs, and main's English
 * sentence (shown as it is in English, in logs, and when a renderer knows no translation for the
 * code). The renderer translates by code (renderer/src/lib/i18n/notices.ts), like errors.
 *
 * Fields that carry notices are added beside the English strings they mirror (`warnings` and
 * `warningNotices`, `reason` and `reasonNotices`, …): the strings stay what they were, so a
 * reader of the old field sees no change.
 */
import { z } from 'zod'

export const NOTICE_CODES = [
  // Connections
  'CONNECTION_VERIFY_OFF',
  'CONNECTION_PLAINTEXT_PASSWORD',
  // Publishing and replay
  'PUBLISH_MQTT5_DROPPED',
  'REPLAY_MQTT5_DROPPED',
  'REPLAY_REFUSED',
  'REPLAY_REFUSED_SAID',
  'REPLAY_SKIPPED_EMPTY',
  'REPLAY_SKIPPED_WILDCARD',
  // A draft made from a received message
  'DRAFT_BINARY_AS_HEX',
  'DRAFT_TRUNCATED',
  'DRAFT_DECODED_SAME',
  'DRAFT_DECODED_DIFFERENT',
  'DRAFT_DECODED_NOT_AGAIN',
  'DRAFT_GZIPPED',
  // Why a received payload stays as received, then how the editor holds it (two parts of one note)
  'DRAFT_UNEDITABLE',
  'DRAFT_LAYERS',
  'DRAFT_JSON_NOT_UTF8',
  'DRAFT_GZIPPED_TEXT_NOT_UTF8',
  'DRAFT_TEXT_NOT_UTF8',
  'DRAFT_PROTOBUF_TYPE_UNKNOWN',
  'DRAFT_NOT_EDITOR_FORMAT',
  'DRAFT_AS_TEXT',
  'DRAFT_AS_HEX',
  'DRAFT_AS_BASE64',
  // The vault's state
  'VAULT_ENTER_PASSPHRASE',
  'VAULT_CHOOSE_PASSPHRASE',
  'VAULT_CHOOSE_PASSPHRASE_INSTEAD',
  'VAULT_KEYCHAIN_RETRY',
  'VAULT_KEY_GONE',
  'VAULT_KEY_DIFFERENT',
  'VAULT_PASSPHRASE_OTHER_KEY',
  'VAULT_OPEN_FAILED',
  'KEYCHAIN_NO_ANSWER',
  'KEYCHAIN_NO_BUS',
  'KEYCHAIN_NO_SECRET_SERVICE',
  'KEYCHAIN_REFUSED',
  // TLS probe progress
  'PROBE_TRYING_VERSION',
  'PROBE_OFFERING_ALPN',
  'PROBE_CLIENT_CERT',
  'PROBE_CHAIN',
  'PROBE_DONE',
  // Topic filters the main side refuses before subscribing (detail.notice of MQTT_FILTER_INVALID)
  'FILTER_EMPTY',
  'FILTER_TOO_LONG',
  'FILTER_NUL',
  'FILTER_LONE_SURROGATE',
  'FILTER_SHARE_INCOMPLETE',
  'FILTER_SHARE_GROUP_WILDCARD',
  'FILTER_HASH_NOT_LAST',
  'FILTER_HASH_INSIDE',
  'FILTER_PLUS_INSIDE',
  // Payload problems (PayloadProblem.notice)
  'PAYLOAD_TOO_BIG',
  'PAYLOAD_TOO_BIG_TEXT',
  'PAYLOAD_TOO_BIG_GZIPPED',
  'PAYLOAD_TOO_BIG_BEFORE_GZIP',
  'PAYLOAD_PROTOBUF_PICK_TYPE',
  'PAYLOAD_PROTOBUF_UNKNOWN_TYPE',
  'HEX_UNPAIRED_BEFORE_GROUP',
  'HEX_BAD_DIGIT',
  'HEX_ODD_DIGITS',
  'BASE64_PAD_INSIDE',
  'BASE64_TOO_MUCH_PADDING',
  'BASE64_BAD_CHARACTER',
  'BASE64_CUT_SHORT',
  'BASE64_WRONG_PADDING',
  // Stored files read at start (app.info's storageWarnings); `whatTerm`/`startsWithTerm` name the file's words (see below)
  'STORED_FILE_UNREADABLE',
  'STORED_FILE_SET_ASIDE',
  'STORED_FILE_STUCK',
  'STORED_FILE_NEWER_SET_ASIDE',
  'STORED_FILE_NEWER_STUCK',
  'SETTING_RESET',
  'PROFILE_LEFT_OUT',
  'PROFILES_LEFT_OUT',
  'SCHEMAS_UNLISTED',
  // Importing profiles (and their templates) from a file: what could not be brought over
  'IMPORT_PROFILE_INVALID',
  'IMPORT_PROFILE_FAILED',
  'IMPORT_BUILTIN_KEPT_BESIDE',
  'IMPORT_CA_FAILED',
  'IMPORT_IDENTITY_FAILED',
  'IMPORT_IDENTITY_MISSING',
  'IMPORT_IDENTITY_HALF',
  'IMPORT_CERTS_UNENCRYPTED',
  'IMPORT_MQTT31',
  'IMPORT_FILE_NOT_FULL_PATH',
  'IMPORT_FILE_NOT_A_FILE',
  'IMPORT_FILE_TOO_LARGE',
  'IMPORT_FILE_UNREADABLE',
  'IMPORT_RULE_PROTOBUF',
  'IMPORT_RULE_AVRO',
  'IMPORT_TEMPLATE_DAMAGED',
  'IMPORT_TEMPLATE_OVER_LIMIT',
  // A vault item that cannot be opened (VaultItemMeta.problemNotice)
  'VAULT_ITEM_NOT_JSON',
  'VAULT_ITEM_ALTERED',
  'VAULT_ITEM_KEY_GONE',
  'VAULT_ITEM_OTHER_KEY',
  // A tree filter the main side cannot use (TreeFilterStatus.errorNotice)
  'TREE_FILTER_REGEX_INVALID',
  'TREE_FILTER_HASH',
  'TREE_FILTER_PLUS',
  // The payload editor's encoders and JSON parser
  'JSON_EMPTY', 'JSON_AFTER_VALUE', 'JSON_ENDS_EARLY', 'JSON_UNEXPECTED', 'JSON_SINGLE_QUOTES', 'JSON_NO_NAN', 'JSON_TOO_DEEP',
  'JSON_DUPLICATE_KEY', 'JSON_STRING_NOT_CLOSED', 'JSON_CONTROL_CHARACTER', 'JSON_UNICODE_ESCAPE', 'JSON_UNKNOWN_ESCAPE',
  'JSON_LEADING_ZERO', 'JSON_BEYOND_DOUBLE', 'JSON_UNREADABLE', 'JSON_INVALID',
  'FILE_BASE64_PAD_INSIDE', 'FILE_BASE64_CUT_SHORT', 'FILE_BASE64_WRONG_PADDING',
  'PAYLOAD_NOT_ENCODED',
  'MARKER_TAKES_NUMBER', 'MARKER_TAKES_BASE64', 'MARKER_BASE64_INVALID', 'MARKER_EXT_TAKES_BASE64', 'MARKER_EXT_BASE64_INVALID',
  'MARKER_TAKES_INTEGER', 'MARKER_SIMPLE_RANGE', 'MARKER_MAP_LIST', 'MARKER_MAP_PAIR', 'CBOR_TAG_RANGE', 'MSGPACK_EXT_TYPE_RANGE',
  'MSGPACK_INT_RANGE', 'MSGPACK_CBOR_MARKER', 'CBOR_MSGPACK_MARKER',
  'PROTOBUF_NOT_INTEGER', 'PROTOBUF_OUT_OF_RANGE', 'PROTOBUF_NOT_FLOAT', 'PROTOBUF_NOT_BOOL', 'PROTOBUF_NOT_STRING', 'PROTOBUF_NOT_BYTES',
  'PROTOBUF_BYTES_BASE64', 'PROTOBUF_ENUM_VALUE', 'PROTOBUF_NOT_MESSAGE', 'PROTOBUF_UNRESOLVED', 'PROTOBUF_UNKNOWN_FIELD',
  'PROTOBUF_UNKNOWN_FIELD_NONE', 'PROTOBUF_ONEOF_TWICE', 'PROTOBUF_NOT_MAP', 'PROTOBUF_BOOL_KEY', 'PROTOBUF_MAP_NULL', 'PROTOBUF_NOT_LIST',
  'PROTOBUF_REPEATED_NULL', 'PROTOBUF_REQUIRED', 'PROTOBUF_NOT_OBJECT',
  'SPARKPLUG_NEEDS_DATATYPE', 'SPARKPLUG_UNKNOWN_DATATYPE', 'SPARKPLUG_INT_RANGE', 'SPARKPLUG_DATETIME', 'SPARKPLUG_NOT_FLOAT',
  'SPARKPLUG_ELEMENT_NOT_FLOAT', 'SPARKPLUG_NOT_BASE64', 'SPARKPLUG_BASE64_INVALID', 'SPARKPLUG_BOOLEAN_ARRAY', 'SPARKPLUG_STRING_ARRAY',
  'SPARKPLUG_STRING_ARRAY_NUL', 'SPARKPLUG_NOT_BOOLEAN', 'SPARKPLUG_NOT_TEXT', 'SPARKPLUG_NOT_METRIC_TYPE', 'SPARKPLUG_NOT_OBJECT',
  'SPARKPLUG_UNKNOWN_KEY', 'SPARKPLUG_PROPERTY_SET_LIST', 'SPARKPLUG_PROPERTY_TYPE', 'SPARKPLUG_FLAG', 'SPARKPLUG_METRIC_NAME',
  'SPARKPLUG_METRIC_NAME_OR_ALIAS', 'SPARKPLUG_NULL_WITH_VALUE', 'SPARKPLUG_METRIC_VALUE', 'SPARKPLUG_UUID', 'SPARKPLUG_METRICS_LIST',
  // READ_…: why received bytes could not be read back for editing, said inside DRAFT_UNEDITABLE
  'READ_TRUNCATED', 'READ_RESERVED_INFO', 'READ_TOO_DEEP', 'READ_UNEXPECTED_BREAK', 'READ_INDEFINITE_INTEGER', 'READ_INDEFINITE_TAG',
  'READ_BAD_CHUNK', 'READ_NESTED_INDEFINITE_CHUNK', 'READ_TRAILING_BYTES', 'READ_NOT_MSGPACK_TYPE',
] as const

export const NoticeCode = z.enum(NOTICE_CODES)
export type NoticeCode = z.infer<typeof NoticeCode>

/** The values a notice's sentence is built from: names, topics, counts. */
export const NoticeParams = z.record(z.string().max(64), z.union([z.string().max(4096), z.number()]))
export type NoticeParams = z.infer<typeof NoticeParams>

/** One sentence: its code, its values, and main's English wording of it. */
export const Notice = z.object({
  code: NoticeCode,
  params: NoticeParams.optional(),
  message: z.string().max(8192),
})
export type Notice = z.infer<typeof Notice>

/**
 * Words a sentence takes from a fixed list (which file, which certificate part) travel as a term:
 * the param `<name>` holds main's English words and `<name>Term` the list entry, so the renderer
 * puts the words of its language in `<name>`. A param `<name>ErrorCode` is the error code of another
 * error whose English sentence is `<name>` (an import step that failed): the renderer shows that
 * code's sentence there.
 */
export const STORED_FILE_TERMS = ['settings', 'profiles', 'pins', 'handshake-history', 'publish-history', 'templates'] as const
export type StoredFileTerm = (typeof STORED_FILE_TERMS)[number]

/** Builds a notice; `params` is left out when there are none, so equal notices compare equal. */
export function notice(code: NoticeCode, message: string, params?: NoticeParams): Notice {
  return params && Object.keys(params).length > 0 ? { code, params, message } : { code, message }
}

/** Main's English for sentences joined into one string (a reason, a note). */
export const noticesMessage = (notices: readonly Notice[]): string => notices.map((n) => n.message).join(' ')
