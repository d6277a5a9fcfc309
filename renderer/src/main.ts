/** Renderer entry: pick the transport, install the API client and Pinia, mount the app. */
import { createApp } from 'vue'
import { createPinia } from 'pinia'
import { config as zodConfig } from 'zod'
import App from './App.vue'
import { createApiClient } from './api/client'
import { selectChannel } from './api/select-channel'
import { installApi } from './api/use-api'
import { startTheme } from './lib/theme'
import './styles.css'

// The contract's schemas run here too (form validation). Zod's fast path compiles code with
// `new Function`, which our CSP forbids; jitless skips even the probe that would log a violation.
zodConfig({ jitless: true })

// The OS's scheme for the first paint; the backend's setting follows once it answers.
startTheme()

const channel = selectChannel()
const app = createApp(App)
installApi(app, { client: createApiClient(channel), channel })
app.use(createPinia())
app.mount('#app')
