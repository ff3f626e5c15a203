// Reads a CAR with @ipld/car's CarReader, re-hashes every block with multiformats' sha256 and
// checks it against its CID, then reassembles the file of the first root with the JS UnixFS
// exporter. Prints "roots=<cid,...> blocks=<n> bytes=<file size> sha256=<hex of file content>";
// exits 1 with a message if any block does not match its CID.
import { createReadStream } from 'node:fs'
import { createHash } from 'node:crypto'
import { CarReader } from '@ipld/car/reader'
import { sha256 } from 'multiformats/hashes/sha2'
import { equals } from 'multiformats/bytes'
import { exporter } from 'ipfs-unixfs-exporter'
import { MemoryBlockstore } from 'blockstore-core/memory'

const reader = await CarReader.fromIterable(createReadStream(process.argv[2]))
const roots = await reader.getRoots()
const blockstore = new MemoryBlockstore()
let blocks = 0
for await (const { cid, bytes } of reader.blocks()) {
  if (cid.multihash.code !== sha256.code) {
    console.error(`unexpected hash function in ${cid}`)
    process.exit(1)
  }
  const digest = await sha256.digest(bytes)
  if (!equals(digest.bytes, cid.multihash.bytes)) {
    console.error(`block ${cid} does not match its hash`)
    process.exit(1)
  }
  await blockstore.put(cid, bytes)
  blocks++
}
const entry = await exporter(roots[0], blockstore)
const h = createHash('sha256')
let size = 0
for await (const chunk of entry.content()) {
  h.update(chunk)
  size += chunk.length
}
console.log(`roots=${roots.map(String).join(',')} blocks=${blocks} bytes=${size} sha256=${h.digest('hex')}`)
