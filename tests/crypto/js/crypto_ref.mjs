// Independent reference for Dossier's crypto tests, built on node's own crypto module (its OpenSSL,
// not the one Dossier links): AES-256-GCM, HKDF-SHA256, secp256k1 ECDH, the ECIES key envelope
// re-implemented from the format documented in src/crypto/ecies.hpp, and an opener of sealed
// objects written from the format documented in src/crypto/sealed_object.hpp.
// Input on stdin: a JSON array of requests; output on stdout: a JSON array of results (same order).
import crypto from 'node:crypto';

const hex = (b) => Buffer.from(b).toString('hex');
const buf = (h) => Buffer.from(h, 'hex');

function gcmEncrypt(key, nonce, pt, aad) {
  const c = crypto.createCipheriv('aes-256-gcm', key, nonce);
  c.setAAD(aad);
  const ct = Buffer.concat([c.update(pt), c.final()]);
  return { ct, tag: c.getAuthTag() };
}

function gcmDecrypt(key, nonce, ct, tag, aad) {
  const d = crypto.createDecipheriv('aes-256-gcm', key, nonce);
  d.setAAD(aad);
  d.setAuthTag(tag);
  try {
    return Buffer.concat([d.update(ct), d.final()]);
  } catch (e) {
    return null;
  }
}

function uncompressed(pub) {  // 33/65-byte SEC 1 -> 64-byte x||y
  return crypto.ECDH.convertKey(pub, 'secp256k1', undefined, undefined, 'uncompressed').subarray(1);
}

function kek(z, ephXY, recipientXY) {
  return Buffer.from(crypto.hkdfSync('sha256', z, Buffer.concat([ephXY, recipientXY]),
                                     Buffer.from('dossier/ecies/v1'), 32));
}

function eciesWrap(recipientXY, dataKey, aad, ephSecret, nonce) {
  const e = crypto.createECDH('secp256k1');
  e.setPrivateKey(ephSecret);
  const z = e.computeSecret(Buffer.concat([Buffer.from([4]), recipientXY]));
  const k = kek(z, e.getPublicKey().subarray(1), recipientXY);
  const { ct, tag } = gcmEncrypt(k, nonce, dataKey, aad);
  return Buffer.concat([Buffer.from([1]), e.getPublicKey(null, 'compressed'), nonce, ct, tag]);
}

function eciesUnwrap(secret, env, aad) {
  if (env.length !== 94 || env[0] !== 1) return null;
  const r = crypto.createECDH('secp256k1');
  r.setPrivateKey(secret);
  const eph = env.subarray(1, 34);
  const z = r.computeSecret(eph);
  const k = kek(z, uncompressed(eph), r.getPublicKey().subarray(1));
  return gcmDecrypt(k, env.subarray(34, 46), env.subarray(46, 78), env.subarray(78, 94), aad);
}

// Opens a sealed object; returns { plaintext, header } or { error }.
function openObject(epochKey, obj) {
  if (obj.length < 145 || obj.subarray(0, 4).toString('latin1') !== 'DSOB' || obj[4] !== 1) return { error: 'format' };
  const log2 = obj[5];
  if (log2 < 8 || log2 > 24) return { error: 'format' };
  const header = obj.subarray(0, 145);
  const keyId = Buffer.from(crypto.hkdfSync('sha256', epochKey, Buffer.alloc(0), Buffer.from('dossier/epoch-key-id/v1'), 8));
  if (!keyId.equals(header.subarray(70, 78))) return { error: 'wrong key' };
  const contentKey = gcmDecrypt(epochKey, header.subarray(85, 97), header.subarray(97, 129), header.subarray(129, 145),
                                header.subarray(0, 85));
  if (contentKey === null) return { error: 'header' };
  const headerHash = crypto.createHash('sha256').update(header).digest();
  const prefix = header.subarray(78, 85);
  const S = 1 << log2;
  const body = obj.subarray(145);
  const parts = [];
  let i = 0;
  for (let off = 0; ; i++) {
    const last = body.length - off <= S + 16;
    const seg = body.subarray(off, Math.min(off + S + 16, body.length));
    if (seg.length < 16) return { error: 'truncated' };
    const nonce = Buffer.alloc(12);
    prefix.copy(nonce, 0);
    nonce.writeUInt32BE(i, 7);
    nonce[11] = last ? 1 : 0;
    const pt = gcmDecrypt(contentKey, nonce, seg.subarray(0, seg.length - 16), seg.subarray(seg.length - 16),
                          Buffer.concat([headerHash, Buffer.from([last ? 1 : 0])]));
    if (pt === null) return { error: 'segment ' + i };
    parts.push(pt);
    off += seg.length;
    if (last) break;
  }
  return {
    plaintext: hex(Buffer.concat(parts)),
    patient: hex(header.subarray(6, 26)),
    record: hex(header.subarray(26, 58)),
    version: header.readBigUInt64BE(58).toString(),
    epoch: header.readUInt32BE(66),
  };
}

function handle(q) {
  switch (q.op) {
    case 'gcm_encrypt': {
      const { ct, tag } = gcmEncrypt(buf(q.key), buf(q.nonce), buf(q.pt), buf(q.aad));
      return { ct: hex(ct), tag: hex(tag) };
    }
    case 'gcm_decrypt': {
      const pt = gcmDecrypt(buf(q.key), buf(q.nonce), buf(q.ct), buf(q.tag), buf(q.aad));
      return { pt: pt === null ? null : hex(pt) };
    }
    case 'hkdf':
      return { okm: hex(Buffer.from(crypto.hkdfSync('sha256', buf(q.ikm), buf(q.salt), buf(q.info), q.length))) };
    case 'pubkey': {
      const e = crypto.createECDH('secp256k1');
      e.setPrivateKey(buf(q.secret));
      return { pub: hex(e.getPublicKey().subarray(1)) };
    }
    case 'ecdh': {
      const e = crypto.createECDH('secp256k1');
      e.setPrivateKey(buf(q.secret));
      return { x: hex(e.computeSecret(Buffer.concat([Buffer.from([4]), buf(q.pub)]))) };
    }
    case 'ecies_wrap':
      return { env: hex(eciesWrap(buf(q.pub), buf(q.key), buf(q.aad), buf(q.eph), buf(q.nonce))) };
    case 'ecies_unwrap': {
      const k = eciesUnwrap(buf(q.secret), buf(q.env), buf(q.aad));
      return { key: k === null ? null : hex(k) };
    }
    case 'open_object':
      return openObject(buf(q.key), buf(q.object));
    default:
      throw new Error('unknown op ' + q.op);
  }
}

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (d) => { input += d; });
process.stdin.on('end', () => {
  process.stdout.write(JSON.stringify(JSON.parse(input).map(handle)));
});
