/** Drafts leave and enter the store as copies, so the editor's edits never alias a template's. */
import type { OutgoingMessage } from '@api'

/** A copy of a message deep enough for editing (the body string is shared, being immutable). */
export function copyMessage(m: OutgoingMessage): OutgoingMessage {
  return {
    ...m,
    payload: { ...m.payload },
    properties: {
      ...m.properties,
      ...(m.properties.correlationData ? { correlationData: { ...m.properties.correlationData } } : {}),
      userProperties: m.properties.userProperties.map((p) => ({ ...p })),
    },
  }
}
