/** Renderer entry: pick the transport, install the API client and Pinia, mount the app. */
import { createApp } from 'vue'
import { createPinia } from 'pinia'
import { config as zodConfig } from 'zod'
import App from './App.vue'
import { createApiClient } from './api/client'
import { selectChannel } from './api/select-channel'
import { installApi } from './api/use-api'
import { startTheme } from './lib/theme'
import { i18n, startLanguage } from './lib/i18n'
import './styles.css'

// The contract's schemas run here too (form validation). Zod's fast path compiles code with
// `new Function`, which our CSP forbids; jitless skips even the probe that would log a violation.
zodConfig({ jitless: true })

// The OS's scheme and language for the first paint; the backend's setting follows once it answers.
startTheme()
startLanguage()

const channel = selectChannel()
const app = createApp(App)
installApi(app, { client: createApiClient(channel), channel })
app.use(createPinia())
app.use(i18n)
app.mount('#app')
