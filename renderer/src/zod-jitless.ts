/**
 * Imported first by main.ts, before any module that parses with a schema at load time (the
 * contract's `DEFAULT_SETTINGS = AppSettings.parse({})`): zod's fast path compiles code with
 * `new Function`, which our CSP forbids, and its first parse probes for that unless jitless is
 * already set. Set in main.ts's body, it came after the imports had parsed, and the probe showed
 * as a `script-src eval` CSP violation (found by test/e2e/languages.test.ts).
 */
import { config } from 'zod'

config({ jitless: true })
