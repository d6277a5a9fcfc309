// Types for launch-helpers.mjs, so tests can import it from TypeScript.
export declare const appRoot: string
export declare const BUILD_OUTPUTS: string[]
export declare const BUILD_INPUTS: string[]
/** V8 flags of the main side (browser mode: node command line; Electron: --js-flags). */
export declare const MAIN_V8_FLAGS: string[]
export declare function newestMtime(root: string, paths: string[]): number
export declare function staleReason(root?: string): string | null
export declare function ensureBuilt(options?: { log?: (line: string) => void }): void
export declare function runBrowserMode(args: string[]): Promise<number>
export declare function runChild(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number>
