#pragma once
/// The embedded node's loopback HTTP server: a trustless gateway and a Kubo RPC subset over a
/// ContentStore (files, pins, CAR import) and the BlockStore beneath it (raw blocks, CAR export).
///
/// Trustless gateway (GET and HEAD; other methods are 405):
/// - /ipfs/{cid}?format=raw or Accept: application/vnd.ipld.raw: the block, verified by the store.
/// - /ipfs/{cid}?format=car or Accept: application/vnd.ipld.car: the DAG as CAR v1 (depth first,
///   root first), streamed.
/// - /ipfs/{cid} otherwise: the UnixFS file's bytes, streamed, with a single "Range: bytes=" range.
/// - 400 bad CID or format, 404 block missing, 406 unsupported Accept, 416 bad range,
///   500 corrupt store, 501 not a file; error bodies are JSON {"error": message, "status": code}.
///
/// Kubo RPC subset, POST only (any other method is 405), answering in Kubo's shapes, errors as
/// {"Message": ..., "Code": 0 (1 for a bad argument), "Type": "error"} with status 500 (400 for
/// bad arguments): add (multipart, streamed into the importer), cat, block/get, block/stat,
/// pin/add, pin/rm, pin/ls, version, dag/export, dag/import (multipart CAR, streamed).
///
/// Once a streamed response has started (200 sent), a missing or corrupt block found deeper in the
/// DAG can only cut the response short; it never sends wrong bytes. Not supported: directories and
/// paths inside a DAG, `progress` lines during add (the answer comes after the import), direct and
/// indirect pins (pin/ls lists the recursive pins), non-sha2-256 hashes, trickle DAGs.
///
/// Browser defences on /api/v0 (as Kubo): a foreign Origin header is 403; when bound to a loopback
/// address, so is a Host header that does not name a loopback host (DNS rebinding).
///
/// Memory: responses are streamed from the store; an upload flows through a bounded pipe (4 MiB)
/// into the importer on a worker thread, so neither a 1 GB cat nor a 1 GB add is ever buffered.
/// Threads: one per connection from a fixed pool; the stores must be safe for concurrent use
/// (LocalContentStore and MemoryBlockStore are).
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <stop_token>
#include <string>
#include <vector>

#include "ipfs/block_store.hpp"
#include "ipfs/content_store.hpp"
#include "ipfs/errors.hpp"

namespace dossier::ipfs {

class LocalContentStore;

struct GatewayOptions {
    std::string host = "127.0.0.1";  ///< loopback by default; the RPC API must never face a network
    int port = 0;                    ///< 0: an ephemeral port, reported by Gateway::port()
    std::size_t threads = 8;         ///< concurrent connections served
    std::chrono::seconds io_timeout{30};  ///< a stalled client is dropped after this long
    std::string version = "0.1.0";   ///< reported by /api/v0/version
    /// Browser origins allowed to call the RPC API (none by default). A request to /api/v0 that
    /// carries any other Origin header is refused with 403, so that a web page cannot add, unpin
    /// or read through it (a form POST needs no CORS preflight). As in Kubo.
    std::vector<std::string> allowed_origins;
};

class Gateway {
public:
    /// `content` and `blocks` are the same data seen at two levels; both must outlive the gateway.
    Gateway(ContentStore& content, BlockStore& blocks, GatewayOptions options = {});
    /// Serves the embedded store (its FsBlockStore as the block level).
    explicit Gateway(LocalContentStore& store, GatewayOptions options = {});
    /// Stops the server if running.
    ~Gateway();
    Gateway(const Gateway&) = delete;
    Gateway& operator=(const Gateway&) = delete;

    /// Binds and starts serving on a background thread. Throws IpfsError (io) if it cannot bind
    /// (address in use, bad host).
    void start();
    /// Stops accepting, lets running requests finish, joins the server thread. Idempotent.
    void stop();
    /// The bound port (valid after start()).
    [[nodiscard]] int port() const noexcept;
    /// "http://host:port".
    [[nodiscard]] std::string url() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// Entry point of the gateway daemon (`dossier-gateway`, `dossier ipfs serve`): starts a gateway, calls `on_ready(port)` once it is
/// listening, serves until `stop` is requested, then stops it and returns.
void run_gateway(ContentStore& content, BlockStore& blocks, const GatewayOptions& options, std::stop_token stop,
                 const std::function<void(int port)>& on_ready = {});

}  // namespace dossier::ipfs
