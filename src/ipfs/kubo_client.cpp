#include "ipfs/kubo_client.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <istream>
#include <limits>
#include <nlohmann/json.hpp>
#include <ostream>
#include <sstream>
#include <thread>

#include "ipfs/car.hpp"
#include "ipfs/dagpb.hpp"
#include "ipfs/exporter.hpp"
#include "ipfs/importer.hpp"
#include "ipfs/pipe.hpp"
#include "ipfs/unixfs.hpp"

namespace dossier::ipfs {
namespace {

using json = nlohmann::json;

/// "http://host:port" from a URL or a multiaddr (/ip4|ip6|dns|dns4|dns6/<host>/tcp/<port>[/http]).
std::string normalise_api(std::string api) {
    while (api.size() > 1 && api.back() == '/') api.pop_back();
    if (api.starts_with("http://") || api.starts_with("https://")) return api;
    std::vector<std::string> parts;
    std::stringstream ss(api);
    for (std::string p; std::getline(ss, p, '/');)
        if (!p.empty()) parts.push_back(p);
    if (parts.size() >= 4 && (parts[0] == "ip4" || parts[0] == "ip6" || parts[0] == "dns" || parts[0] == "dns4" ||
                              parts[0] == "dns6") &&
        parts[2] == "tcp") {
        const std::string host = parts[0] == "ip6" ? "[" + parts[1] + "]" : parts[1];
        return "http://" + host + ":" + parts[3];
    }
    throw IpfsError(ErrorCode::invalid_input,
                    "not an IPFS API address: '" + api + "' (expected http://host:port or /ip4/<ip>/tcp/<port>)");
}

std::string url_escape(std::string_view s) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (const char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if (std::isalnum(u) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += c;
        } else {
            out += '%';
            out += hex[u >> 4];
            out += hex[u & 15];
        }
    }
    return out;
}

std::string arg(const Cid& cid) { return "arg=" + url_escape(cid.to_string()); }

/// Kubo reports a missing block as "... not found ..." or "ipld: could not find <cid>".
bool is_not_found(const std::string& message) {
    return message.find("not found") != std::string::npos || message.find("could not find") != std::string::npos;
}

/// A node that checks blocks as it reads them refuses one whose stored bytes do not match its
/// hash: Kubo (HashOnRead) says "block in storage has different hash than requested", Dossier's
/// gateway "... do not match its hash".
bool is_corrupt(const std::string& message) {
    return message.find("different hash than requested") != std::string::npos ||
           message.find("do not match its hash") != std::string::npos;
}

/// Parses the node's JSON, turning a malformed answer into a clear error.
json parse_json(const std::string& body, const std::string& what) {
    try {
        return json::parse(body);
    } catch (const json::exception&) {
        throw IpfsError(ErrorCode::node_unavailable,
                        "the IPFS node sent a malformed answer to " + what + ": '" + body.substr(0, 200) + "'");
    }
}

/// The JSON objects of a newline-delimited JSON response; an error object ({"Type":"error"}) throws.
std::vector<json> parse_ndjson(const std::string& body, const std::string& what, const std::string& base) {
    std::vector<json> out;
    std::stringstream ss(body);
    for (std::string line; std::getline(ss, line);) {
        if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
        json j = parse_json(line, what);
        if (j.is_object() && j.value("Type", "") == "error")
            throw NodeApiError("the IPFS node at " + base + " failed " + what + ": " + j.value("Message", ""), 200,
                               j.value("Message", ""));
        out.push_back(std::move(j));
    }
    return out;
}

Cid remote_cid(const std::string& text, const std::string& base) {
    try {
        return Cid::parse(text);
    } catch (const DecodeError& e) {
        throw IpfsError(ErrorCode::tampered,
                        "the IPFS node at " + base + " returned an invalid CID '" + text + "': " + e.what());
    }
}

}  // namespace

KuboClient::KuboClient(std::string api, KuboClientOptions options)
    : base_(normalise_api(std::move(api))), options_(options),
      http_(http::ClientOptions{.connect_timeout = options.connect_timeout,
                                .timeout = {},  // a large transfer may take long; the stall timeout guards it
                                .stall_timeout = options.stall_timeout,
                                .max_idle_handles = 4}) {}

KuboClient::~KuboClient() = default;

void KuboClient::stream(const std::string& command, const std::string& query,
                        const std::function<bool(const char*, std::size_t)>& sink, const std::atomic<bool>& cancel) {
    request(command, query, std::nullopt, sink, &cancel);
}

void KuboClient::request(const std::string& command, const std::string& query, std::optional<http::StreamedPart> part,
                         const std::function<bool(const char*, std::size_t)>& sink, const std::atomic<bool>* cancel) {
    http::Request req;
    // An upload, or a stream read on a helper thread (cat): a file's bytes.
    req.large = part.has_value() || cancel != nullptr;
    req.part = std::move(part);
    req.sink = sink;
    req.stop_flag = cancel;
    perform(command, query, std::move(req));
}

void KuboClient::perform(const std::string& command, const std::string& query, http::Request req) {
    req.url = base_ + "/api/v0/" + command + (query.empty() ? "" : "?" + query);
    req.max_response_bytes = 65536;  // of an error answer, kept only for its message
    http::Response r;
    try {
        r = http_.perform(req);
    } catch (const http::TransferError& e) {
        if (e.kind() == http::TransferError::Kind::connect)
            throw NodeUnreachableError("cannot reach the IPFS node at " + base_ + ": " + e.reason());
        throw NodeUnreachableError("the connection to the IPFS node at " + base_ + " failed during " + command + ": " +
                                   e.reason());
    }
    if (r.stopped) return;  // the caller knows why
    if (r.status >= 300) {
        std::string message = r.body;
        try {
            const json j = json::parse(r.body);
            if (j.is_object() && j.contains("Message") && j["Message"].is_string()) message = j["Message"].get<std::string>();
        } catch (const json::exception&) {
            if (message.size() > 200) message.resize(200);
        }
        while (!message.empty() && (message.back() == '\n' || message.back() == '\r')) message.pop_back();
        throw NodeApiError("the IPFS node at " + base_ + " refused " + command + ": " + message + " (HTTP " +
                               std::to_string(r.status) + ")",
                           r.status, message);
    }
}

void KuboClient::post(const std::string& command, const std::string& query,
                      const std::function<bool(const char*, std::size_t)>& sink) {
    request(command, query, std::nullopt, sink);
}

std::string KuboClient::post_collect(const std::string& command, const std::string& query, std::size_t limit) {
    std::string body;
    request(command, query, std::nullopt, [&](const char* d, std::size_t n) {
        if (body.size() + n > limit)
            throw IpfsError(ErrorCode::node_unavailable,
                            "the IPFS node's answer to " + command + " exceeds " + std::to_string(limit) + " bytes");
        body.append(d, n);
        return true;
    });
    return body;
}

std::string KuboClient::post_upload(const std::string& command, const std::string& query, ByteSource& source,
                                    BytePipe& tee, const std::string& filename) {
    http::StreamedPart part;
    part.field = "file";
    part.filename = filename;
    part.read = [&](std::span<std::uint8_t> buffer) {
        const std::size_t n = source.read(buffer);
        if (n > 0 && !tee.write(ByteView(buffer.data(), n)))
            throw IpfsError("the local verification of the upload stopped");
        return n;
    };
    std::string body;
    request(command, query, std::move(part), [&](const char* d, std::size_t n) {
        if (body.size() + n > (64u << 20)) throw IpfsError(ErrorCode::node_unavailable, "the IPFS node's answer to " + command + " is too large");
        body.append(d, n);
        return true;
    });
    return body;
}

namespace {

/// Runs `verify` over the teed bytes of an upload on its own thread.
class Verifier {
public:
    explicit Verifier(std::function<void(ByteSource&)> verify) {
        thread_ = std::thread([this, verify = std::move(verify)] {
            try {
                verify(pipe_);
            } catch (...) {
                error_ = std::current_exception();
            }
            pipe_.abandon();
        });
    }
    ~Verifier() {
        if (thread_.joinable()) {
            pipe_.fail(std::make_exception_ptr(IpfsError("upload failed")));
            thread_.join();
        }
    }
    Verifier(const Verifier&) = delete;
    Verifier& operator=(const Verifier&) = delete;
    BytePipe& pipe() noexcept { return pipe_; }
    /// End of input: waits for the verifier and rethrows its error.
    void finish() {
        pipe_.close();
        thread_.join();
        if (error_) std::rethrow_exception(error_);
    }

private:
    BytePipe pipe_;
    std::thread thread_;
    std::exception_ptr error_;
};

}  // namespace

std::string KuboClient::add_query(const AddOptions& options) {
    const ImportProfile& p = options.profile;
    p.validate();
    return "cid-version=" + std::to_string(p.cid_version) + "&raw-leaves=" + (p.raw_leaves ? "true" : "false") +
           "&chunker=size-" + std::to_string(p.chunk_size) + "&max-file-links=" + std::to_string(p.max_links) +
           "&hash=sha2-256&trickle=false&wrap-with-directory=false&inline=false" +
           "&pin=" + (options.pin ? "true" : "false") + "&progress=false";
}

ImportResult KuboClient::add(ByteSource& input, const AddOptions& options) {
    const ImportProfile& p = options.profile;
    const std::string query = add_query(options) + "&quieter=true";
    ImportResult local;
    Verifier verifier([&](ByteSource& src) {
        NullBlockWriter hashing_only;
        local = import_file(src, hashing_only, p, options.progress);
    });
    const std::string body = post_upload("add", query, input, verifier.pipe(), "file");
    verifier.finish();
    const std::vector<json> lines = parse_ndjson(body, "add", base_);
    const json* last = nullptr;
    for (const json& j : lines)
        if (j.is_object() && j.contains("Hash") && j["Hash"].is_string()) last = &j;
    if (!last)
        throw IpfsError(ErrorCode::node_unavailable,
                        "the IPFS node at " + base_ + " did not return a CID for the added file");
    const Cid remote = remote_cid((*last)["Hash"].get<std::string>(), base_);
    if (remote != local.root)
        throw IpfsError(ErrorCode::tampered,
                        "the IPFS node at " + base_ + " returned CID " + remote.to_string() +
                            " for the uploaded file, but its bytes import to " + local.root.to_string() +
                            " with profile " + p.name);
    return local;
}

std::vector<ImportResult> KuboClient::add_many(std::span<ByteSource* const> inputs, const AddOptions& options) {
    constexpr std::size_t kMaxPart = 1u << 20;
    constexpr std::size_t kMaxRequest = 32u << 20;
    std::vector<ImportResult> out(inputs.size());
    std::vector<Bytes> files;
    std::vector<std::size_t> slots;  // out[] index of each file
    std::size_t pending = 0;
    const auto send = [&] {
        if (files.empty()) return;
        std::vector<ImportResult> results = add_buffered(files, options);
        for (std::size_t k = 0; k < slots.size(); ++k) out[slots[k]] = std::move(results[k]);
        files.clear();
        slots.clear();
        pending = 0;
    };
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        // Read in growing steps: most inputs are a sealed record of a few hundred bytes, and a
        // buffer of the full limit per input would be a megabyte zeroed each time.
        Bytes head;
        for (std::size_t step = 4096; head.size() <= kMaxPart; step = std::min(step * 4, kMaxPart + 1)) {
            const std::size_t at = head.size();
            head.resize(at + step);
            const std::size_t n = read_full(*inputs[i], std::span(head).subspan(at));
            head.resize(at + n);
            if (n < step) break;  // the input ended
        }
        if (head.size() > kMaxPart) {
            // Too big to batch: what was read goes first, the rest streams from the input.
            std::size_t taken = 0;
            ByteSource& rest = *inputs[i];
            auto whole = source_from_callback([&](std::span<std::uint8_t> buf) -> std::size_t {
                if (taken < head.size()) {
                    const std::size_t n = std::min(buf.size(), head.size() - taken);
                    std::copy_n(head.begin() + static_cast<std::ptrdiff_t>(taken), n, buf.begin());
                    taken += n;
                    return n;
                }
                return rest.read(buf);
            });
            out[i] = add(*whole, options);
            continue;
        }
        if (pending + head.size() > kMaxRequest) send();
        pending += head.size();
        files.push_back(std::move(head));
        slots.push_back(i);
    }
    send();
    return out;
}

std::vector<ImportResult> KuboClient::add_buffered(const std::vector<Bytes>& files, const AddOptions& options) {
    std::vector<ImportResult> local;
    local.reserve(files.size());
    http::Request req;
    for (std::size_t k = 0; k < files.size(); ++k) {
        NullBlockWriter hashing_only;
        auto src = source_from_bytes(files[k]);
        local.push_back(import_file(*src, hashing_only, options.profile));
        // Each file is named by its position: the node's answer names the file each CID is for.
        req.memory_parts.push_back(http::MemoryPart{.field = "file", .filename = std::to_string(k), .data = files[k]});
    }
    std::string body;
    req.sink = [&](const char* d, std::size_t n) {
        if (body.size() + n > (64u << 20)) throw IpfsError(ErrorCode::node_unavailable, "the IPFS node's answer to add is too large");
        body.append(d, n);
        return true;
    };
    perform("add", add_query(options), std::move(req));
    std::vector<std::optional<Cid>> remote(files.size());
    for (const json& j : parse_ndjson(body, "add", base_)) {
        if (!j.is_object() || !j.contains("Hash") || !j["Hash"].is_string() || !j.contains("Name") || !j["Name"].is_string())
            continue;
        const std::string name = j["Name"].get<std::string>();
        std::size_t k = 0;
        const auto [end, ec] = std::from_chars(name.data(), name.data() + name.size(), k);
        if (ec != std::errc{} || end != name.data() + name.size() || k >= files.size()) continue;
        remote[k] = remote_cid(j["Hash"].get<std::string>(), base_);
    }
    for (std::size_t k = 0; k < files.size(); ++k) {
        if (!remote[k])
            throw IpfsError(ErrorCode::node_unavailable, "the IPFS node at " + base_ + " did not return a CID for file " +
                                                             std::to_string(k + 1) + " of " +
                                                             std::to_string(files.size()) + " added together");
        if (*remote[k] != local[k].root)
            throw IpfsError(ErrorCode::tampered, "the IPFS node at " + base_ + " returned CID " + remote[k]->to_string() +
                                                     " for an uploaded file, but its bytes import to " +
                                                     local[k].root.to_string() + " with profile " +
                                                     options.profile.name);
    }
    return local;
}

/// cat() in one streamed request instead of one request per block, still verifying every byte:
/// the file's internal nodes come from block/get (verified), which gives every leaf's CID and size
/// in order; the node's /api/v0/cat stream is cut into those leaves and each is hashed against its
/// CID before any of its bytes is returned. This needs raw leaves (a raw leaf's block is its bytes);
/// for any other shape (dag-pb leaves, inline data, a single-block file) the reader falls back to
/// the exporter over verified blocks from where it is.
class VerifiedCat final : public ByteSource {
public:
    VerifiedCat(KuboClient& client, const Cid& root, std::uint64_t offset, std::optional<std::uint64_t> length)
        : client_(client), root_(root) {
        const Bytes block = client_.blocks_.get_required(root);
        std::optional<Frame> top;
        if (root.codec == kCodecDagPb) top = internal_node(root, block);
        if (!top) {  // one block, or a shape this reader does not stream: the exporter
            delegate_ = open_file(client_.blocks_, root, offset, length);
            return;
        }
        const std::uint64_t size = top->end;
        pos_ = std::min(offset, size);
        end_ = length ? pos_ + std::min(*length, size - pos_) : size;
        stack_.push_back(std::move(*top));
    }

    ~VerifiedCat() override { stop_stream(); }
    VerifiedCat(const VerifiedCat&) = delete;
    VerifiedCat& operator=(const VerifiedCat&) = delete;

    std::size_t read(std::span<std::uint8_t> buf) override {
        if (delegate_) return delegate_->read(buf);
        if (buf.empty()) return 0;
        while (leaf_pos_ == leaf_end_) {
            if (pos_ >= end_) return 0;
            if (!next_leaf()) {
                if (delegate_) return delegate_->read(buf);
                throw UnixFsError("file " + root_.to_string() + " ends before its declared size");
            }
        }
        const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(buf.size(), leaf_end_ - leaf_pos_));
        std::memcpy(buf.data(), leaf_.data() + leaf_pos_, n);
        leaf_pos_ += n;
        pos_ += n;
        return n;
    }

private:
    struct Frame {
        std::vector<Cid> children;
        std::vector<std::uint64_t> sizes;
        std::size_t next = 0;
        std::uint64_t start = 0;  ///< file offset of children[next]
        std::uint64_t end = 0;    ///< file offset where this node's content ends
    };

    /// The node as a pure internal node of a file (links, no inline data), or nullopt for any
    /// other shape. Malformed or inconsistent nodes are errors, as in the exporter.
    static std::optional<Frame> internal_node(const Cid& cid, ByteView block) {
        const dagpb::Node node = dagpb::decode(block);
        if (!node.data) throw NotAFileError("node " + cid.to_string() + " has no UnixFS data: not a file");
        const unixfs::Data fs = unixfs::decode(*node.data);
        if (fs.type != unixfs::Type::File && fs.type != unixfs::Type::Raw) return std::nullopt;  // exporter says why
        if (node.links.empty() || (fs.data && !fs.data->empty())) return std::nullopt;
        if (fs.blocksizes.size() != node.links.size())
            throw UnixFsError("file node " + cid.to_string() + " has " + std::to_string(node.links.size()) +
                              " links but " + std::to_string(fs.blocksizes.size()) + " blocksizes");
        Frame f;
        for (std::size_t i = 0; i < node.links.size(); ++i) {
            if (fs.blocksizes[i] > std::numeric_limits<std::uint64_t>::max() - f.end)
                throw UnixFsError("file node " + cid.to_string() + " has sizes that overflow 64 bits");
            f.children.push_back(node.links[i].hash);
            f.end += fs.blocksizes[i];
        }
        if (fs.filesize && *fs.filesize != f.end)
            throw UnixFsError("file node " + cid.to_string() + " declares filesize " + std::to_string(*fs.filesize) +
                              " but its parts add up to " + std::to_string(f.end));
        f.sizes = fs.blocksizes;
        return f;
    }

    /// Loads the next leaf that overlaps [pos_, end_) into leaf_, verified. False at the end of the
    /// DAG, or after switching to the exporter (delegate_ set).
    bool next_leaf() {
        while (!stack_.empty()) {
            Frame& f = stack_.back();
            if (f.next == f.children.size()) {
                stack_.pop_back();
                continue;
            }
            const Cid child = f.children[f.next];
            const std::uint64_t start = f.start, size = f.sizes[f.next];
            ++f.next;
            f.start += size;
            if (start + size <= pos_) continue;  // wholly before the range: skipped, never fetched
            if (child.codec == kCodecRaw) {
                if (size > car::kMaxSection) return fall_back();
                if (!load_leaf(child, start, size)) return fall_back();
                return true;
            }
            const Bytes block = client_.blocks_.get_required(child);
            std::optional<Frame> inner = internal_node(child, block);
            if (!inner) return fall_back();  // a dag-pb leaf: not verifiable from the stream
            if (inner->end != size)
                throw UnixFsError("file node " + child.to_string() + " holds " + std::to_string(inner->end) +
                                  " bytes but its parent says " + std::to_string(size));
            inner->start = start;
            stack_.push_back(std::move(*inner));  // invalidates f
        }
        return false;
    }

    bool fall_back() {
        stop_stream();
        stack_.clear();
        delegate_ = open_file(client_.blocks_, root_, pos_, end_ - pos_);
        return false;
    }

    /// False if the stream broke off or failed (the node may lack a block, or have gone away):
    /// the caller then reads on block by block, which names the missing block or the real error.
    bool load_leaf(const Cid& cid, std::uint64_t start, std::uint64_t size) {
        if (!pipe_) start_stream(start);
        if (start != stream_pos_) throw IpfsError("internal error: leaves out of order in " + root_.to_string());
        leaf_.resize(static_cast<std::size_t>(size));
        std::size_t got = 0;
        try {
            got = read_full(*pipe_, leaf_);
        } catch (const IpfsError&) {
            return false;
        }
        stream_pos_ += got;
        if (got != size) return false;
        if (!cid.hash.matches(leaf_)) throw CorruptBlockError(cid.to_string());
        leaf_pos_ = static_cast<std::size_t>(pos_ - start);
        leaf_end_ = static_cast<std::size_t>(std::min(end_, start + size) - start);
        return true;
    }

    void start_stream(std::uint64_t from) {
        pipe_ = std::make_unique<BytePipe>(4u << 20);
        stream_pos_ = from;
        // To the end of the file: the last leaf must arrive whole to be checked; reading stops
        // (and the transfer is dropped) once the range is served.
        const std::string query = "arg=" + root_.to_string() + "&offset=" + std::to_string(from);
        producer_ = std::thread([this, query] {
            try {
                client_.stream(
                    "cat", query,
                    [this](const char* d, std::size_t n) {
                        return pipe_->write(ByteView(reinterpret_cast<const std::uint8_t*>(d), n));
                    },
                    cancel_);
                pipe_->close();
            } catch (...) {
                pipe_->fail(std::current_exception());
            }
        });
    }

    void stop_stream() {
        if (!pipe_) return;
        cancel_ = true;
        pipe_->abandon();
        if (producer_.joinable()) producer_.join();
    }

    KuboClient& client_;
    Cid root_;
    std::uint64_t end_ = 0;
    std::uint64_t pos_ = 0;  ///< file offset of the next byte returned
    std::vector<Frame> stack_;
    Bytes leaf_;
    std::size_t leaf_pos_ = 0, leaf_end_ = 0;
    std::unique_ptr<BytePipe> pipe_;
    std::uint64_t stream_pos_ = 0;
    std::thread producer_;
    std::atomic<bool> cancel_{false};
    std::unique_ptr<ByteSource> delegate_;
};

std::unique_ptr<ByteSource> KuboClient::cat(const Cid& root, std::uint64_t offset, std::optional<std::uint64_t> length) {
    return std::make_unique<VerifiedCat>(*this, root, offset, length);
}

std::uint64_t KuboClient::size(const Cid& root) { return file_size(blocks_, root); }

bool KuboClient::has(const Cid& root) {
    try {
        walk_dag(offline_blocks_, root, [&](const Cid& c) {
            // walk_dag fetched (and verified) every dag-pb node; raw leaves are only asked about.
            if (c.codec == kCodecRaw && !offline_blocks_.has(c)) throw BlockNotFoundError(c.to_string());
        });
        return true;
    } catch (const BlockNotFoundError&) {
        return false;
    }
}

void KuboClient::pin(const Cid& root) {
    std::string body;
    try {
        body = post_collect("pin/add", arg(root) + "&recursive=true");
    } catch (const NodeApiError& e) {
        if (is_not_found(e.message())) throw BlockNotFoundError(root.to_string());
        throw;
    }
    const json j = parse_json(body, "pin/add");
    bool found = false;
    if (j.is_object() && j.contains("Pins") && j["Pins"].is_array())
        for (const json& c : j["Pins"])
            if (c.is_string() && remote_cid(c.get<std::string>(), base_) == root) found = true;
    if (!found)
        throw IpfsError(ErrorCode::node_unavailable,
                        "the IPFS node at " + base_ + " did not confirm the pin of " + root.to_string());
}

void KuboClient::unpin(const Cid& root) { (void)post_collect("pin/rm", arg(root)); }

std::vector<Cid> KuboClient::pins() {
    const json j = parse_json(post_collect("pin/ls", "type=recursive"), "pin/ls");
    std::vector<Cid> out;
    if (!j.is_object() || !j.contains("Keys") || !j["Keys"].is_object())
        throw IpfsError(ErrorCode::node_unavailable, "the IPFS node at " + base_ + " sent a pin list without Keys");
    for (const auto& [key, value] : j["Keys"].items()) out.push_back(remote_cid(key, base_));
    return out;
}

void KuboClient::export_car(const Cid& root, std::ostream& out) { (void)car::write(blocks_, root, out); }

std::vector<Cid> KuboClient::import_car(std::istream& in, bool pin) {
    car::ReadResult local;
    Verifier verifier([&](ByteSource& src) {
        NullBlockWriter checking_only;
        local = car::read(src, checking_only);  // every block re-hashed; malformed CARs fail here too
    });
    auto src = source_from_istream(in);
    std::string body;
    try {
        body = post_upload("dag/import", std::string("pin-roots=") + (pin ? "true" : "false"), *src, verifier.pipe(),
                           "import.car");
    } catch (...) {
        // A CAR the local check rejected is reported as such rather than as the node's complaint.
        try {
            verifier.finish();
        } catch (const CarError&) {
            throw;
        } catch (...) {
        }
        throw;
    }
    verifier.finish();
    std::vector<Cid> roots;
    for (const json& j : parse_ndjson(body, "dag/import", base_)) {
        if (!j.is_object() || !j.contains("Root")) continue;
        const json& r = j["Root"];
        const std::string cid = r.contains("Cid") && r["Cid"].is_object() ? r["Cid"].value("/", "") : "";
        roots.push_back(remote_cid(cid, base_));
        const std::string pin_error = r.value("PinErrorMsg", "");
        if (!pin_error.empty())
            throw NodeApiError("the IPFS node at " + base_ + " could not pin " + cid + ": " + pin_error, 200, pin_error);
    }
    std::vector<Cid> expected = local.roots;
    std::sort(expected.begin(), expected.end());
    expected.erase(std::unique(expected.begin(), expected.end()), expected.end());
    std::vector<Cid> got = roots;
    std::sort(got.begin(), got.end());
    if (got != expected)
        throw IpfsError(ErrorCode::tampered, "the IPFS node at " + base_ + " reported other roots than the CAR's");
    return local.roots;
}

std::string KuboClient::version() {
    const json j = parse_json(post_collect("version", ""), "version");
    if (!j.is_object() || !j.contains("Version") || !j["Version"].is_string())
        throw IpfsError(ErrorCode::node_unavailable,
                        "the IPFS node at " + base_ + " sent a version answer without Version");
    return j["Version"].get<std::string>();
}

bool KuboBlockStore::has(const Cid& cid) {
    try {
        (void)client_.post_collect("block/stat", arg(cid) + (offline_ ? "&offline=true" : ""), 1u << 16);
        return true;
    } catch (const NodeApiError& e) {
        if (is_not_found(e.message())) return false;
        throw;
    }
}

std::optional<Bytes> KuboBlockStore::get(const Cid& cid) {
    Bytes block;
    try {
        client_.post("block/get", arg(cid) + (offline_ ? "&offline=true" : ""), [&](const char* d, std::size_t n) {
            if (block.size() + n > car::kMaxSection)
                throw CorruptBlockError(cid.to_string());  // no valid block is this large
            block.insert(block.end(), reinterpret_cast<const std::uint8_t*>(d),
                         reinterpret_cast<const std::uint8_t*>(d) + n);
            return true;
        });
    } catch (const NodeApiError& e) {
        if (is_not_found(e.message())) return std::nullopt;
        if (is_corrupt(e.message())) throw CorruptBlockError(cid.to_string());
        throw;
    }
    if (!cid.hash.matches(block)) throw CorruptBlockError(cid.to_string());
    return block;
}

void KuboBlockStore::put(const Cid&, ByteView) {
    throw IpfsError("blocks reach a remote IPFS node through add or CAR import, not one by one");
}
void KuboBlockStore::remove(const Cid&) { throw IpfsError("a remote IPFS node's blocks are removed by unpinning and GC"); }
void KuboBlockStore::for_each(const std::function<void(const Multihash&)>&) {
    throw IpfsError("listing a remote IPFS node's blocks is not supported");
}

}  // namespace dossier::ipfs
