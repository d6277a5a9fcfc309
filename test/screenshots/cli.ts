/** `npm run screenshots [-- out-dir]`: the README's screenshots into docs/screenshots/ (or out-dir). */
import { resolve } from 'node:path'
import { takeReadmeScreenshots } from './readme-screenshots'

const outDir = resolve(process.argv[2] ?? 'docs/screenshots')
const shots = await takeReadmeScreenshots(outDir)
for (const shot of shots) console.log(`${shot.theme.padEnd(5)} ${shot.path}`)
