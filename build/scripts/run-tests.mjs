#!/usr/bin/env node
// `npm test`: everything the tests need, then every test. On a fresh Debian/Ubuntu machine run as
// root it installs the system packages itself; elsewhere it names the command to run.
// Steps: system packages → typecheck → lint → build → Vitest (unit, integration, e2e) inside a
// private D-Bus session with an unlocked gnome-keyring, so the vault tests use a real Secret Service.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const root = resolve(import.meta.dirname, '..', '..')
const env = { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' }

/** Debian package → a file it installs that the tests use. */
const SYSTEM_PACKAGES = {
  mosquitto: '/usr/sbin/mosquitto',
  'mosquitto-clients': '/usr/bin/mosquitto_pub',
  chromium: '/usr/bin/chromium',
  'gnome-keyring': '/usr/bin/gnome-keyring-daemon',
  dbus: '/usr/bin/dbus-run-session',
  'libsecret-tools': '/usr/bin/secret-tool',
  openssl: '/usr/bin/openssl',
  'protobuf-compiler': '/usr/bin/protoc',
  gzip: '/usr/bin/gzip',
}

function run(label, command, args, options = {}) {
  console.log(`\n▶ ${label}`)
  const result = spawnSync(command, args, { cwd: root, env, stdio: 'inherit', ...options })
  if (result.error) throw result.error
  return result.status ?? 1
}

function ensureSystemPackages() {
  const missing = Object.entries(SYSTEM_PACKAGES).filter(([, file]) => !existsSync(file)).map(([pkg]) => pkg)
  if (missing.length === 0) return
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0
  if (!isRoot || !existsSync('/usr/bin/apt-get')) {
    console.error(`The tests need these system packages: ${missing.join(' ')}.\nInstall them with: sudo apt-get install -y ${missing.join(' ')}`)
    process.exit(1)
  }
  const aptEnv = { ...env, DEBIAN_FRONTEND: 'noninteractive' }
  run('apt-get update', 'apt-get', ['update', '-qq'], { env: aptEnv })
  if (run(`apt-get install ${missing.join(' ')}`, 'apt-get', ['install', '-y', '-qq', ...missing], { env: aptEnv }) !== 0) {
    console.error('Installing the system packages failed; see the output above.')
    process.exit(1)
  }
}

function step(label, npmScript) {
  const status = run(label, 'npm', ['run', '--silent', npmScript])
  if (status !== 0) {
    console.error(`\n✖ ${label} failed.`)
    console.log('0 passed, 1 failed')
    process.exit(status)
  }
}

ensureSystemPackages()
step('Type-check (tsc + vue-tsc)', 'typecheck')
step('Lint (with process-boundary rules)', 'lint')
step('Build (electron-vite)', 'build')

const reportDir = join(root, 'test', '.tmp')
mkdirSync(reportDir, { recursive: true })
const report = join(reportDir, 'vitest-report.json')
rmSync(report, { force: true })
const extra = process.argv.slice(2).map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ')
const vitest = `npx vitest run --config build/vitest.config.ts --reporter=default --reporter=json --outputFile.json=${report} ${extra}`
// The keyring lives in a throwaway folder: tests never touch the developer's own keychain, and a
// login keyring left behind with another password cannot make gnome-keyring prompt (and fail).
const keyringHome = mkdtempSync(join(tmpdir(), 'mqtts-test-keyring-'))
// gnome-keyring prints the variables that point clients at its control socket; eval them.
const inner = `eval "$(printf 'mqtts-test\\n' | XDG_DATA_HOME="$MQTTS_TEST_KEYRING_HOME" gnome-keyring-daemon --unlock --components=secrets)" >/dev/null; export GNOME_KEYRING_CONTROL; exec ${vitest}`
let status
try {
  status = run('Tests (Vitest: unit, integration against mosquitto/aedes/gnome-keyring, e2e in Chromium)', 'dbus-run-session', ['--', 'sh', '-c', inner], {
    env: { ...env, MQTTS_TEST_KEYRING_HOME: keyringHome },
  })
} finally {
  rmSync(keyringHome, { recursive: true, force: true })
}

if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, 'utf8'))
  // A file that fails before its tests run (a broker that would not start in beforeAll) fails no
  // test, only skips them: count it, or the line would read "0 failed" on a red run.
  const brokenFiles = (r.testResults ?? []).filter((f) => f.status === 'failed' && (f.assertionResults ?? []).every((t) => t.status !== 'failed')).length
  const broken = brokenFiles > 0 ? ` (${brokenFiles} test file${brokenFiles === 1 ? '' : 's'} failed before running)` : ''
  console.log(`\n${r.numPassedTests} passed, ${r.numFailedTests + brokenFiles} failed, ${r.numPendingTests + (r.numTodoTests ?? 0)} skipped${broken}`)
} else {
  console.log('\n0 passed, 1 failed')
}
process.exit(status)
