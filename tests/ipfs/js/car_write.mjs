// Writes a CAR with the JS libraries: imports <file> with the JS UnixFS importer (cidVersion 1,
// raw leaves, fixedSize(chunkSize), balanced(maxChildrenPerNode)) and writes its DAG with
// @ipld/car's CarWriter, depth first, root first, each block once.
// Usage: node car_write.mjs <chunkSize> <maxChildrenPerNode> <file> <out.car>; prints the root CID.
import { createReadStream, createWriteStream } from 'node:fs'
import { once } from 'node:events'
import { CarWriter } from '@ipld/car/writer'
import * as dagPb from '@ipld/dag-pb'
import { importer } from 'ipfs-unixfs-importer'
import { fixedSize } from 'ipfs-unixfs-importer/chunker'
import { balanced } from 'ipfs-unixfs-importer/layout'
import { MemoryBlockstore } from 'blockstore-core/memory'

const [chunkSize, maxChildrenPerNode, file, out] = process.argv.slice(2)
const blockstore = new MemoryBlockstore()
let root
for await (const entry of importer([{ content: createReadStream(file) }], blockstore, {
  cidVersion: 1,
  rawLeaves: true,
  reduceSingleLeafToSelf: true,
  chunker: fixedSize({ chunkSize: Number(chunkSize) }),
  layout: balanced({ maxChildrenPerNode: Number(maxChildrenPerNode) })
})) {
  root = entry.cid
}

const { writer, out: carBytes } = CarWriter.create([root])
const sink = createWriteStream(out)
const piping = (async () => {
  for await (const chunk of carBytes) {
    if (!sink.write(chunk)) await once(sink, 'drain')
  }
  sink.end()
  await once(sink, 'finish')
})()

const seen = new Set()
async function walk (cid) {
  if (seen.has(cid.toString())) return
  seen.add(cid.toString())
  // blockstore-core 7 returns a block as an iterable of pieces.
  const parts = []
  for await (const p of blockstore.get(cid)) parts.push(p)
  const bytes = new Uint8Array(Buffer.concat(parts))
  await writer.put({ cid, bytes })
  if (cid.code === dagPb.code) {
    for (const link of dagPb.decode(bytes).Links) await walk(link.Hash)
  }
}
await walk(root)
await writer.close()
await piping
console.log(root.toString())
