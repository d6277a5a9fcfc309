/**
 * The payload editor's encoders (pure, like `decode/`): an authored draft → the bytes to
 * publish, or a problem with a sentence and a place. `publish/` calls `renderPlaceholders`,
 * then `encodeDraft`; "Edit and publish" goes the other way with `draftFromDecoded`.
 * One file per format; README.md has the authoring conventions.
 */
export { encodeDraft, type EncodeContext, type EncodeOutcome } from './encode-draft'
export { renderPlaceholders, defaultPlaceholderValues, type PlaceholderValues, type RenderedPlaceholders } from './placeholders'
export { draftFromDecoded, HEX_DRAFT_MAX_BYTES, type DecodedDraft, type DraftFromDecodedOptions } from './from-decoded'
