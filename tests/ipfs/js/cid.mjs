// Reference CID handling from multiformats. Reads one CID text per line on stdin and prints
// "<base32 v1> <base58btc v1> <hex bytes> <version> <codec>" or "error" for each.
import { CID } from 'multiformats/cid'
import { base58btc } from 'multiformats/bases/base58'
import { createInterface } from 'node:readline'

const hex = (b) => Buffer.from(b).toString('hex')
for await (const line of createInterface({ input: process.stdin })) {
  try {
    const cid = CID.parse(line.trim(), line.startsWith('z') ? base58btc : undefined)
    const v1 = cid.toV1()
    console.log(`${v1.toString()} ${v1.toString(base58btc)} ${hex(cid.bytes)} ${cid.version} ${cid.code}`)
  } catch {
    console.log('error')
  }
}
