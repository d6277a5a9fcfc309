/**
 * provide/inject for the API client, so components and stores get it without importing a
 * module-level singleton (tests and previews can provide a fake).
 */
import { hasInjectionContext, inject, type App, type InjectionKey } from 'vue'
import type { ApiClient } from './client'
import type { StatusChannel } from './ws-channel'

export interface ApiContext {
  client: ApiClient
  channel: StatusChannel
}

export const API_KEY: InjectionKey<ApiContext> = Symbol('api')

let installed: ApiContext | null = null

/** Makes the client available to the whole app (components and Pinia stores). */
export function installApi(app: App, context: ApiContext): void {
  installed = context
  app.provide(API_KEY, context)
}

/**
 * The API client. Works inside components (inject) and inside Pinia setup stores, which run
 * within the app's injection context as well; the module fallback covers stores created lazily
 * from event handlers.
 */
export function useApi(): ApiClient {
  return useApiContext().client
}

/** The client plus its channel (for the transport status banner). */
export function useApiContext(): ApiContext {
  const ctx = (hasInjectionContext() ? inject(API_KEY, null) : null) ?? installed
  if (!ctx) throw new Error('The API client was not installed; call installApi() before mounting.')
  return ctx
}
