// Reference dag-pb round trip from @ipld/dag-pb. Reads hex blocks, one per line, and prints
// "ok <hex of encode(decode(block))>" or "error" for each.
import { decode, encode } from '@ipld/dag-pb'
import { createInterface } from 'node:readline'

for await (const line of createInterface({ input: process.stdin })) {
  try {
    const node = decode(Buffer.from(line.trim(), 'hex'))
    console.log(`ok ${Buffer.from(encode(node)).toString('hex')}`)
  } catch {
    console.log('error')
  }
}
