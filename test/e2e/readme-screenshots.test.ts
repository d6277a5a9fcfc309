/**
 * The README's screenshots come from a script (`npm run screenshots`): run it into a temp folder
 * and check it made every picture, at the viewport's size, with the light ones light and the dark
 * ones dark (mean luminance measured by drawing each file in a canvas).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { launchBrowser } from '../fixtures/browser'
import { SCREENSHOT_VIEWPORT, takeReadmeScreenshots, type Screenshot } from '../screenshots/readme-screenshots'

let outDir = ''

afterAll(async () => {
  if (outDir) await rm(outDir, { recursive: true, force: true })
})

/** Width, height and mean luminance (0–255) of each PNG, measured in chromium. */
async function measure(shots: Screenshot[]): Promise<{ width: number; height: number; luminance: number }[]> {
  const browser = await launchBrowser()
  try {
    const page = await browser.open('about:blank')
    const out = []
    for (const shot of shots) {
      const dataUrl = `data:image/png;base64,${(await readFile(shot.path)).toString('base64')}`
      out.push(await page.evaluate(async (src) => {
        const img = new Image()
        img.src = src
        await img.decode()
        const canvas = document.createElement('canvas')
        canvas.width = img.naturalWidth
        canvas.height = img.naturalHeight
        const ctx = canvas.getContext('2d')!
        ctx.drawImage(img, 0, 0)
        const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data
        let sum = 0
        for (let i = 0; i < data.length; i += 4) sum += 0.2126 * data[i] + 0.7152 * data[i + 1] + 0.0722 * data[i + 2]
        return { width: img.naturalWidth, height: img.naturalHeight, luminance: sum / (data.length / 4) }
      }, dataUrl))
    }
    return out
  } finally {
    await browser.close()
  }
}

describe('README screenshots', () => {
  it('are taken from the running app, in light and in dark', async () => {
    outDir = await mkdtemp(join(tmpdir(), 'mqtts-screenshots-'))
    const shots = await takeReadmeScreenshots(outDir)
    expect(shots.map((s) => `${s.name}-${s.theme}`).sort()).toEqual(['tls-inspector-dark', 'tls-inspector-light', 'workbench-dark', 'workbench-light'])
    const measured = await measure(shots)
    shots.forEach((shot, i) => {
      expect(measured[i].width).toBe(SCREENSHOT_VIEWPORT.width)
      expect(measured[i].height).toBe(SCREENSHOT_VIEWPORT.height)
      // A light page is mostly near-white, a dark one mostly near-black.
      if (shot.theme === 'light') expect(measured[i].luminance, shot.path).toBeGreaterThan(170)
      else expect(measured[i].luminance, shot.path).toBeLessThan(90)
    })
  }, 180_000)
})
