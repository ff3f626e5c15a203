// Reference CIDs from the JS UnixFS importer.
// Usage: node import.mjs <chunkSize> <maxChildrenPerNode> [--cid-version=0] [--raw-leaves=false] <file>...
//        node import.mjs --profile <unixfs-v1-2025|...> <file>...
// Prints one line per file: "<root CID> <file>". Files are streamed, never read whole.
import { createReadStream } from 'node:fs'
import { importer } from 'ipfs-unixfs-importer'
import { fixedSize } from 'ipfs-unixfs-importer/chunker'
import { balanced } from 'ipfs-unixfs-importer/layout'
import { MemoryBlockstore } from 'blockstore-core/memory'

const args = process.argv.slice(2)
let options
let files
if (args[0] === '--profile') {
  options = () => ({ profile: args[1] })
  files = args.slice(2).filter(a => !a.startsWith('--'))
} else {
  const chunkSize = Number(args[0])
  const maxChildrenPerNode = Number(args[1])
  const flags = args.slice(2).filter(a => a.startsWith('--'))
  const cidVersion = flags.includes('--cid-version=0') ? 0 : 1
  const rawLeaves = !flags.includes('--raw-leaves=false')
  options = () => ({
    cidVersion,
    rawLeaves,
    reduceSingleLeafToSelf: true,
    chunker: fixedSize({ chunkSize }),
    layout: balanced({ maxChildrenPerNode })
  })
  files = args.slice(2).filter(a => !a.startsWith('--'))
}

for (const file of files) {
  const blockstore = new MemoryBlockstore()
  let root
  for await (const entry of importer([{ content: createReadStream(file, { highWaterMark: 1 << 20 }) }], blockstore, options())) {
    root = entry.cid
  }
  console.log(`${root.toString()} ${file}`)
}
