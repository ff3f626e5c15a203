// A stand-in for a Kubo node's RPC API built on the IPFS project's JS libraries (the reference
// implementation in Dossier's tests): ipfs-unixfs-importer/exporter over blockstore-core's
// MemoryBlockstore, @ipld/car for dag/import and dag/export.
// Usage: node kubo_standin.mjs <port> [--lie=blocks|add]
//   --lie=blocks  block/get and cat return corrupted bytes (one byte flipped)
//   --lie=cat     only cat does (block/get is honest)
//   --lie=add     add reports the CID of different bytes
// Prints "listening <port>" once it accepts connections on 127.0.0.1.
import http from 'node:http'
import { importer } from 'ipfs-unixfs-importer'
import { fixedSize } from 'ipfs-unixfs-importer/chunker'
import { balanced } from 'ipfs-unixfs-importer/layout'
import { exporter } from 'ipfs-unixfs-exporter'
import { MemoryBlockstore } from 'blockstore-core/memory'
import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import { equals } from 'multiformats/bytes'
import * as dagPb from '@ipld/dag-pb'
import { CarReader } from '@ipld/car/reader'
import { CarWriter } from '@ipld/car/writer'

const port = Number(process.argv[2])
const lie = (process.argv.find(a => a.startsWith('--lie=')) ?? '').slice(6)
const blockstore = new MemoryBlockstore()
const pins = new Set()

class ArgError extends Error {}

function kuboError (res, status, message) {
  if (res.headersSent) { res.destroy(); return }
  res.writeHead(status, { 'Content-Type': 'application/json' })
  res.end(JSON.stringify({ Message: message, Code: status === 400 ? 1 : 0, Type: 'error' }) + '\n')
}

function json (res, value) {
  res.writeHead(200, { 'Content-Type': 'application/json' })
  res.end(JSON.stringify(value) + '\n')
}

function boolParam (q, name, dflt) {
  if (!q.has(name)) return dflt
  const v = q.get(name).toLowerCase()
  if (v === '' || v === 'true' || v === '1') return true
  if (v === 'false' || v === '0') return false
  throw new ArgError(`option '${name}' must be true or false`)
}

function cidArgs (q) {
  const args = q.getAll('arg')
  if (args.length === 0) throw new ArgError('argument "arg" is required')
  return args.map(a => {
    const text = a.startsWith('/ipfs/') ? a.slice(6) : a
    try { return CID.parse(text) } catch (e) { throw new ArgError(`invalid CID '${text}': ${e.message}`) }
  })
}

const notFound = cid => new Error(`block was not found locally (offline): ipld: could not find ${cid}`)

async function getBlock (cid) {
  if (!(await blockstore.has(cid))) throw notFound(cid)
  const parts = []
  for await (const p of blockstore.get(cid)) parts.push(p)
  return new Uint8Array(Buffer.concat(parts))
}

function corrupt (bytes) {
  const copy = new Uint8Array(bytes)
  if (copy.length > 0) copy[copy.length >> 1] ^= 0x01
  return copy
}

async function walk (cid, fn, seen = new Set()) {
  if (seen.has(cid.toString())) return
  seen.add(cid.toString())
  const bytes = await getBlock(cid)
  await fn(cid, bytes)
  if (cid.code === dagPb.code) for (const link of dagPb.decode(bytes).Links) await walk(link.Hash, fn, seen)
}

// Streaming multipart/form-data parser: yields { headers, content } per part, where content is an
// async iterable that must be consumed (or is drained) before the next part.
async function * multipartParts (req) {
  const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(req.headers['content-type'] ?? '')
  if (!m) throw new ArgError('expected a multipart/form-data body with a boundary')
  const delim = Buffer.from('\r\n--' + (m[1] ?? m[2]))
  const it = req[Symbol.asyncIterator]()
  let buf = Buffer.from('\r\n')
  const fill = async () => {
    const { value, done } = await it.next()
    if (done) return false
    buf = Buffer.concat([buf, value])
    return true
  }
  for (;;) {
    const i = buf.indexOf(delim)
    if (i >= 0) { buf = buf.subarray(i + delim.length); break }
    if (!await fill()) throw new ArgError('malformed multipart body: no boundary')
  }
  for (;;) {
    while (buf.length < 2) if (!await fill()) throw new ArgError('malformed multipart body: truncated')
    if (buf[0] === 0x2d && buf[1] === 0x2d) return
    let h
    while ((h = buf.indexOf('\r\n\r\n')) < 0) {
      if (buf.length > 65536 || !await fill()) throw new ArgError('malformed multipart body: bad part headers')
    }
    const headers = {}
    for (const line of buf.subarray(0, h).toString().split('\r\n')) {
      const c = line.indexOf(':')
      if (c > 0) headers[line.slice(0, c).trim().toLowerCase()] = line.slice(c + 1).trim()
    }
    buf = buf.subarray(h + 4)
    let finished = false
    const content = (async function * () {
      for (;;) {
        const i = buf.indexOf(delim)
        if (i >= 0) {
          const piece = buf.subarray(0, i)
          buf = buf.subarray(i + delim.length)
          finished = true
          if (piece.length > 0) yield piece
          return
        }
        const safe = buf.length - delim.length
        if (safe > 0) {
          const piece = buf.subarray(0, safe)
          buf = buf.subarray(safe)
          yield piece
        }
        if (!await fill()) throw new ArgError('malformed multipart body: truncated part')
      }
    })()
    yield { headers, content }
    if (!finished) for await (const _ of content) { /* drain */ }
  }
}

function filenameOf (headers) {
  const m = /filename="([^"]*)"/.exec(headers['content-disposition'] ?? '')
  return m ? decodeURIComponent(m[1]) : ''
}

async function add (req, res, q) {
  const cidVersion = Number(q.get('cid-version') ?? 0)
  if (cidVersion !== 0 && cidVersion !== 1) throw new ArgError(`unsupported CID version ${cidVersion}`)
  const rawLeaves = boolParam(q, 'raw-leaves', cidVersion === 1)
  const chunker = q.get('chunker') ?? 'size-262144'
  if (!/^size-\d+$/.test(chunker)) throw new ArgError(`unsupported chunker '${chunker}'`)
  const options = {
    cidVersion,
    rawLeaves,
    reduceSingleLeafToSelf: true,
    chunker: fixedSize({ chunkSize: Number(chunker.slice(5)) }),
    layout: balanced({ maxChildrenPerNode: Number(q.get('max-file-links') ?? 174) })
  }
  const pin = boolParam(q, 'pin', true)
  const quieter = boolParam(q, 'quieter', false)
  let out = ''
  for await (const part of multipartParts(req)) {
    let entry
    for await (const e of importer([{ content: part.content }], blockstore, options)) entry = e
    let cid = entry.cid
    if (lie === 'add') {
      for await (const e of importer([{ content: [new TextEncoder().encode('other bytes')] }], blockstore, options)) cid = e.cid
    }
    if (pin) pins.add(cid.toString())
    const name = filenameOf(part.headers) || cid.toString()
    const line = JSON.stringify({ Name: name, Hash: cid.toString(), Size: String(entry.size) }) + '\n'
    out = quieter ? line : out + line
  }
  res.writeHead(200, { 'Content-Type': 'application/json', 'X-Chunked-Output': '1' })
  res.end(out)
}

async function cat (res, q) {
  const [cid] = cidArgs(q)
  const entry = await exporter(cid, blockstore)
  if (entry.type !== 'file' && entry.type !== 'raw') throw new Error('this dag node is a directory')
  const options = {}
  if (q.has('offset')) options.offset = Number(q.get('offset'))
  if (q.has('length')) options.length = Number(q.get('length'))
  res.writeHead(200, { 'Content-Type': 'text/plain', 'X-Stream-Output': '1' })
  let first = true
  for await (const chunk of entry.content(options)) {
    const bytes = (lie === 'blocks' || lie === 'cat') && first ? corrupt(chunk) : chunk
    first = false
    if (!res.write(bytes)) await new Promise(resolve => res.once('drain', resolve))
  }
  res.end()
}

async function dagExport (res, q) {
  const [root] = cidArgs(q)
  await getBlock(root)
  const { writer, out } = CarWriter.create([root])
  res.writeHead(200, { 'Content-Type': 'application/vnd.ipld.car', 'X-Stream-Output': '1' })
  const piping = (async () => {
    for await (const chunk of out) {
      if (!res.write(chunk)) await new Promise(resolve => res.once('drain', resolve))
    }
  })()
  await walk(root, (cid, bytes) => writer.put({ cid, bytes }))
  await writer.close()
  await piping
  res.end()
}

async function dagImport (req, res, q) {
  const pinRoots = boolParam(q, 'pin-roots', true)
  let out = ''
  for await (const part of multipartParts(req)) {
    const reader = await CarReader.fromIterable(part.content)
    for await (const { cid, bytes } of reader.blocks()) {
      const digest = await sha256.digest(bytes)
      if (!equals(digest.bytes, cid.multihash.bytes)) throw new ArgError(`block ${cid} does not match its hash`)
      await blockstore.put(cid, bytes)
    }
    for (const root of await reader.getRoots()) {
      if (pinRoots) pins.add(root.toString())
      out += JSON.stringify({ Root: { Cid: { '/': root.toString() }, PinErrorMsg: '' } }) + '\n'
    }
  }
  res.writeHead(200, { 'Content-Type': 'application/json', 'X-Chunked-Output': '1' })
  res.end(out)
}

async function handle (req, res) {
  const url = new URL(req.url, 'http://127.0.0.1')
  const q = url.searchParams
  if (!url.pathname.startsWith('/api/v0/')) return kuboError(res, 404, `no such route: ${url.pathname}`)
  if (req.method !== 'POST') return kuboError(res, 405, `method ${req.method} not allowed`)
  const command = url.pathname.slice('/api/v0/'.length)
  switch (command) {
    case 'add': return add(req, res, q)
    case 'dag/import': return dagImport(req, res, q)
  }
  for await (const _ of req) { /* no body expected */ }
  switch (command) {
    case 'cat': return cat(res, q)
    case 'dag/export': return dagExport(res, q)
    case 'block/get': {
      const [cid] = cidArgs(q)
      const bytes = await getBlock(cid)
      res.writeHead(200, { 'Content-Type': 'text/plain' })
      return res.end(lie === 'blocks' ? corrupt(bytes) : bytes)
    }
    case 'block/stat': {
      const [cid] = cidArgs(q)
      const bytes = await getBlock(cid)
      return json(res, { Key: cid.toString(), Size: bytes.length })
    }
    case 'pin/add': {
      const cids = cidArgs(q)
      for (const cid of cids) await walk(cid, () => {})
      for (const cid of cids) pins.add(cid.toString())
      return json(res, { Pins: cids.map(String) })
    }
    case 'pin/rm': {
      const cids = cidArgs(q)
      for (const cid of cids) if (!pins.has(cid.toString())) throw new Error(`${cid} is not pinned or pinned indirectly`)
      for (const cid of cids) pins.delete(cid.toString())
      return json(res, { Pins: cids.map(String) })
    }
    case 'pin/ls': {
      const Keys = {}
      const wanted = q.has('arg') ? cidArgs(q).map(String) : [...pins]
      for (const c of wanted) {
        if (!pins.has(c)) throw new Error(`path '${c}' is not pinned`)
        Keys[c] = { Type: 'recursive' }
      }
      return json(res, { Keys })
    }
    case 'version':
      return json(res, { Version: '0.0.0-js-standin', Commit: '', Repo: '', System: `${process.arch}/${process.platform}`, Golang: '' })
    default:
      return kuboError(res, 404, `unknown command "${command}"`)
  }
}

const server = http.createServer((req, res) => {
  handle(req, res).catch(e => {
    kuboError(res, e instanceof ArgError ? 400 : 500, e.message)
    req.resume()
  })
})
server.keepAliveTimeout = 30000
server.listen(port, '127.0.0.1', () => console.log(`listening ${port}`))
