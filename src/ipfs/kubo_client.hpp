#pragma once
/// ContentStore over a remote Kubo node's RPC API (or Dossier's own gateway, which speaks the same
/// subset), over the shared HTTP client (base/http_client.hpp): a small pool of kept-alive
/// connections, TCP_NODELAY, connect and stall timeouts.
///
/// Nothing the node says about content is trusted:
/// - add() uploads the bytes (multipart, streamed from the ByteSource with chunked encoding) while
///   importing the same bytes locally into a hashing-only writer; the node's CID must equal the one
///   computed here for the same profile, or the add fails with IpfsError
///   (code tampered).
/// - cat() fetches the file's internal nodes with block/get (each verified against its CID), then
///   reads the content in one streamed /api/v0/cat and hashes it leaf by leaf against the leaf CIDs
///   before returning a byte of each leaf; a node that serves wrong bytes gets CorruptBlockError
///   naming the block. Files without raw leaves, and streams that break off, are read block by
///   block through the exporter instead (still verified). size() and export_car() use verified
///   blocks only.
/// - import_car() checks the CAR locally as it uploads it and compares the node's roots.
/// Pins are the node's word (nothing to verify). has() asks the node offline, block by block.
///
/// A client is safe to use from several threads; their requests run in parallel on pooled
/// connections. Requests notice the calling thread's stop token (base/cancel.hpp) and throw
/// Error(ErrorCode::cancelled).
/// Streams returned by cat() borrow the client, which must outlive them.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "base/http_client.hpp"
#include "ipfs/block_store.hpp"
#include "ipfs/content_store.hpp"
#include "ipfs/errors.hpp"

namespace dossier::ipfs {

/// The node cannot be reached (refused, timed out, DNS); the message names the URL.
class NodeUnreachableError : public IpfsError {
public:
    explicit NodeUnreachableError(const std::string& message) : IpfsError(ErrorCode::node_unavailable, message) {}
};

/// The node answered with an HTTP error; message() is Kubo's "Message" (or the body's start).
class NodeApiError : public IpfsError {
public:
    NodeApiError(const std::string& what, long status, std::string message)
        : IpfsError(ErrorCode::node_unavailable, what), status_(status), message_(std::move(message)) {}
    [[nodiscard]] long status() const noexcept { return status_; }
    [[nodiscard]] const std::string& message() const noexcept { return message_; }

private:
    long status_;
    std::string message_;
};

struct KuboClientOptions {
    std::chrono::milliseconds connect_timeout{5000};
    /// A request that moves no byte for this long fails (a large transfer may take longer in all).
    std::chrono::milliseconds stall_timeout{60000};
};

class KuboClient;
class BytePipe;

/// The node's blocks seen as a (read-only) BlockStore: get() fetches with block/get and verifies.
/// With `offline`, has()/get() do not let the node search the network for a missing block.
class KuboBlockStore final : public BlockStore {
public:
    KuboBlockStore(KuboClient& client, bool offline) : client_(client), offline_(offline) {}
    [[nodiscard]] bool has(const Cid& cid) override;
    [[nodiscard]] std::optional<Bytes> get(const Cid& cid) override;
    /// Not supported (blocks reach the node through add and CAR import): IpfsError.
    void put(const Cid& cid, ByteView block) override;
    void remove(const Cid& cid) override;
    void for_each(const std::function<void(const Multihash&)>& fn) override;

private:
    KuboClient& client_;
    bool offline_;
};

class KuboClient final : public ContentStore {
public:
    /// `api` is the RPC base URL ("http://127.0.0.1:5001") or a multiaddr ("/ip4/127.0.0.1/tcp/5001").
    /// No request is made until the first call.
    explicit KuboClient(std::string api, KuboClientOptions options = {});
    ~KuboClient() override;
    KuboClient(const KuboClient&) = delete;
    KuboClient& operator=(const KuboClient&) = delete;

    [[nodiscard]] ImportResult add(ByteSource& input, const AddOptions& options = {}) override;
    /// Small inputs (up to 1 MiB each, 32 MiB a request) go to the node in one multipart request,
    /// one round trip for many objects; each returned CID is checked against the bytes as add()
    /// does. A larger input is added on its own.
    [[nodiscard]] std::vector<ImportResult> add_many(std::span<ByteSource* const> inputs,
                                                     const AddOptions& options = {}) override;
    [[nodiscard]] std::unique_ptr<ByteSource> cat(const Cid& root, std::uint64_t offset = 0,
                                                 std::optional<std::uint64_t> length = std::nullopt) override;
    [[nodiscard]] std::uint64_t size(const Cid& root) override;
    [[nodiscard]] bool has(const Cid& root) override;
    void pin(const Cid& root) override;
    void unpin(const Cid& root) override;
    [[nodiscard]] std::vector<Cid> pins() override;
    /// Built here from verified blocks (not the node's dag/export), so the CAR is trustworthy.
    void export_car(const Cid& root, std::ostream& out) override;
    [[nodiscard]] std::vector<Cid> import_car(std::istream& in, bool pin = true) override;

    /// The node's /api/v0/version "Version" string (a cheap reachability check).
    [[nodiscard]] std::string version();
    /// Verified blocks of the node (block/get), for the exporter and CAR export.
    [[nodiscard]] KuboBlockStore& blocks() noexcept { return blocks_; }
    [[nodiscard]] const std::string& url() const noexcept { return base_; }

    /// Low level: POSTs /api/v0/<command>?<query> with an empty body; calls `sink` with each piece
    /// of a 2xx response body (returning false aborts). Throws IpfsError
    /// (node_unavailable: unreachable) / NodeApiError.
    void post(const std::string& command, const std::string& query,
              const std::function<bool(const char*, std::size_t)>& sink);
    /// Like post() but collects the body (at most `limit` bytes; more is an IpfsError).
    [[nodiscard]] std::string post_collect(const std::string& command, const std::string& query,
                                           std::size_t limit = 64u << 20);

private:
    friend class KuboBlockStore;
    /// POSTs a multipart body with one file part streamed from `source` (chunked), teeing every
    /// byte into `tee` for local verification; returns the response body.
    std::string post_upload(const std::string& command, const std::string& query, ByteSource& source, BytePipe& tee,
                            const std::string& filename);
    /// A request for a long streamed answer read on a helper thread (outside the caller's
    /// CancelScope): `cancel` (checked at least once a second) ends it early and quietly, even
    /// while the node is silent.
    void stream(const std::string& command, const std::string& query,
                const std::function<bool(const char*, std::size_t)>& sink, const std::atomic<bool>& cancel);
    /// One request of small files in memory; the node's answer lines are returned.
    [[nodiscard]] std::vector<ImportResult> add_buffered(const std::vector<Bytes>& files, const AddOptions& options);
    /// The add query string for `options` (Kubo's parameters, the profile spelled out).
    [[nodiscard]] static std::string add_query(const AddOptions& options);
    /// One request: `part` is an upload (else the body is empty); 2xx answers go to `sink`.
    /// Maps the HTTP client's failures to this client's errors.
    void request(const std::string& command, const std::string& query, std::optional<http::StreamedPart> part,
                 const std::function<bool(const char*, std::size_t)>& sink, const std::atomic<bool>* cancel = nullptr);
    /// Performs `req` (its url set here), mapping the HTTP client's failures to this client's errors.
    void perform(const std::string& command, const std::string& query, http::Request req);
    friend class VerifiedCat;

    std::string base_;
    KuboClientOptions options_;
    http::Client http_;
    KuboBlockStore blocks_{*this, false};
    KuboBlockStore offline_blocks_{*this, true};
};

}  // namespace dossier::ipfs
