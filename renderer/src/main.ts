/** Renderer entry: pick the transport, install the API client and Pinia, mount the app. */
// First of all: zod must be jitless before any schema parses (see the module's comment).
import './zod-jitless'
import { createApp } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import { createApiClient } from './api/client'
import { selectChannel } from './api/select-channel'
import { installApi } from './api/use-api'
import { startTheme } from './lib/theme'
import { i18n, startLanguage } from './lib/i18n'
import './styles.css'

// The OS's scheme and language for the first paint; the backend's setting follows once it answers.
startTheme()
startLanguage()

const channel = selectChannel()
const app = createApp(App)
installApi(app, { client: createApiClient(channel), channel })
app.use(createPinia())
app.use(i18n)
app.mount('#app')
