/**
 * What happens when any frame of any web contents tries to go somewhere, or a page asks for a new
 * window: a pure decision, so the shell's security rules are unit-tested without Electron.
 * The app is one page on app://mqtts; nothing ever needs to leave it.
 */
import { isTrustedSender } from './app-protocol'
import { allowedExternalUrl } from './external-links'

/** `stay`: a navigation inside our origin; `external`: cancel it and open `url` in the system browser; `deny`: cancel it. */
export type NavigationVerdict = { action: 'stay' } | { action: 'external'; url: string } | { action: 'deny' }

export interface NavigationRequest {
  url: string
  /** False for iframes: they never get to open anything, even an allowed link. */
  isMainFrame: boolean
}

/**
 * For will-navigate, will-frame-navigate and will-redirect. Our own origin is compared parsed
 * (a prefix test would pass app://mqtts.evil or app://mqtts@evil); a link the user clicked to an
 * allowed documentation page opens outside, from the main frame only.
 */
export function navigationVerdict(request: NavigationRequest): NavigationVerdict {
  if (isTrustedSender(request.url)) return { action: 'stay' }
  if (!request.isMainFrame) return { action: 'deny' }
  const url = allowedExternalUrl(request.url)
  return url ? { action: 'external', url } : { action: 'deny' }
}

/** For setWindowOpenHandler: the app never opens a window of its own; an allowed link goes to the system browser. */
export function windowOpenVerdict(url: string): Exclude<NavigationVerdict, { action: 'stay' }> {
  const allowed = allowedExternalUrl(url)
  return allowed ? { action: 'external', url: allowed } : { action: 'deny' }
}
