/** The shapes of the benchmark loads: topics and payloads, the same for every process. */

/** firehose: 10,000 topics, 7 levels. */
export function firehoseTopic(i: number): string {
  const d = i % 10_000
  return `bench/site${d % 4}/area${d % 25}/line${d % 200}/cell${d % 1000}/dev${d}/value`
}

/** retained: 100,000 topics, 6 levels. */
export function retainedTopic(i: number): string {
  return `retained/plant${i % 10}/hall${Math.floor(i / 10) % 100}/rack${Math.floor(i / 1000) % 100}/dev${i}/state`
}

/** scale: 1,000,000 topics in 10,000 groups of 100. */
export function scaleTopic(i: number): string {
  return `scale/b${i % 100}/g${Math.floor(i / 100) % 100}/dev${i}`
}

/** ~64 bytes of JSON, different per message. */
export function jsonPayload(i: number): Buffer {
  const text = `{"seq":${i},"t":${1_700_000_000_000 + i},"v":${((i * 7919) % 100_000) / 1000},"ok":true,"u":"C"}`
  return Buffer.from(text.padEnd(64, ' '))
}
