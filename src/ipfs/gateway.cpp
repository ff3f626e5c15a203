#include "ipfs/gateway.hpp"

#include <httplib.h>

#include <algorithm>
#include <charconv>
#include <condition_variable>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <streambuf>
#include <thread>
#include <vector>

#include "ipfs/car.hpp"
#include "ipfs/exporter.hpp"
#include "ipfs/http_server.hpp"
#include "ipfs/importer.hpp"
#include "ipfs/local_content_store.hpp"
#include "ipfs/multipart_reader.hpp"
#include "ipfs/pipe.hpp"

namespace dossier::ipfs {
namespace {

using json = nlohmann::json;
using httplib::ContentReader;
using httplib::DataSink;
using httplib::Request;
using httplib::Response;

/// A request argument that is missing or malformed: 400.
class ArgError : public Error {
public:
    using Error::Error;
};

enum class Api { Gateway, Rpc };

constexpr std::size_t kStreamChunk = 256 * 1024;
/// Bytes of an unexpected request body read and discarded before giving up on the connection.
constexpr std::size_t kMaxDrain = 1u << 20;

void send_error(Response& res, Api api, int status, const std::string& message) {
    res.status = status;
    json body;
    if (api == Api::Gateway)
        body = {{"error", message}, {"status", status}};
    else
        body = {{"Message", message}, {"Code", status == 400 ? 1 : 0}, {"Type", "error"}};
    res.set_content(body.dump() + "\n", "application/json");
}

struct Failure {
    int status;
    std::string message;
};

/// The HTTP status and message of an exception thrown while serving a request.
Failure classify(std::exception_ptr ep, Api api) {
    try {
        std::rethrow_exception(ep);
    } catch (const ArgError& e) {
        return {400, e.what()};
    } catch (const BlockNotFoundError& e) {
        // Kubo's wording, so that clients of either recognise a missing block the same way.
        if (api == Api::Rpc) return {500, "block was not found locally (offline): ipld: could not find " + e.cid()};
        return {404, e.what()};
    } catch (const CorruptBlockError& e) {
        return {500, e.what()};
    } catch (const NotAFileError& e) {
        return {api == Api::Gateway ? 501 : 500, e.what()};
    } catch (const CarError& e) {
        return {400, e.what()};
    } catch (const DecodeError& e) {
        return {500, std::string("malformed DAG: ") + e.what()};
    } catch (const std::exception& e) {
        return {500, e.what()};
    } catch (...) {
        return {500, "unknown error"};
    }
}

/// Runs a handler, turning any exception into an error response of the API's shape.
template <class F>
void guarded(Response& res, Api api, F&& fn) {
    try {
        fn();
    } catch (...) {
        const Failure f = classify(std::current_exception(), api);
        send_error(res, api, f.status, f.message);
    }
}

/// The CID of a request argument: "<cid>" or "/ipfs/<cid>". Paths inside a DAG are not supported.
Cid parse_cid_arg(std::string_view text) {
    if (text.starts_with("/ipfs/")) text.remove_prefix(6);
    while (text.ends_with('/')) text.remove_suffix(1);
    if (text.empty()) throw ArgError("missing CID");
    if (text.find('/') != std::string_view::npos)
        throw ArgError("paths inside a DAG are not supported: '" + std::string(text) + "'");
    try {
        return Cid::parse(text);
    } catch (const DecodeError& e) {
        throw ArgError("invalid CID '" + std::string(text) + "': " + e.what());
    }
}

std::optional<bool> bool_param(const Request& req, const char* name) {
    if (!req.has_param(name)) return std::nullopt;
    std::string v = req.get_param_value(name);
    std::transform(v.begin(), v.end(), v.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (v.empty() || v == "true" || v == "1") return true;
    if (v == "false" || v == "0") return false;
    throw ArgError(std::string("option '") + name + "' must be true or false, not '" + v + "'");
}

std::uint64_t parse_uint(std::string_view text, const std::string& what) {
    std::uint64_t v = 0;
    const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || p != text.data() + text.size() || text.empty())
        throw ArgError(what + " must be a non-negative integer, not '" + std::string(text) + "'");
    return v;
}

std::optional<std::uint64_t> uint_param(const Request& req, const char* name) {
    if (!req.has_param(name)) return std::nullopt;
    return parse_uint(req.get_param_value(name), std::string("option '") + name + "'");
}

/// Every "arg" of a Kubo RPC request (at least one).
std::vector<Cid> cid_args(const Request& req) {
    const std::size_t n = req.get_param_value_count("arg");
    if (n == 0) throw ArgError("argument \"arg\" is required");
    std::vector<Cid> out;
    for (std::size_t i = 0; i < n; ++i) out.push_back(parse_cid_arg(req.get_param_value("arg", i)));
    return out;
}

/// httplib applies a Range header to whatever the handler answers (even an error body). The
/// gateway handles ranges itself, so it clears the library's copy. The Request object itself is
/// not const (it is a local of the server loop), so this is well defined.
void take_over_ranges(const Request& req) { const_cast<Request&>(req).ranges.clear(); }

/// Reads and discards a request body that the route does not use, so the connection stays usable.
/// Returns false if it could not (malformed or too large); the response then closes the connection.
bool drain(const Request& req, const ContentReader& reader) {
    std::size_t total = 0;
    auto count = [&](const char*, std::size_t n) {
        total += n;
        return total <= kMaxDrain;
    };
    if (req.is_multipart_form_data()) return reader([](const httplib::MultipartFormData&) { return true; }, count);
    return reader(count);
}

/// An ostream target that writes into an httplib DataSink and throws when the client is gone, so
/// that a CAR export stops walking the DAG instead of reading blocks for nobody.
class SinkBuf final : public std::streambuf {
public:
    explicit SinkBuf(DataSink& sink) : sink_(sink) {}

protected:
    std::streamsize xsputn(const char* s, std::streamsize n) override {
        if (!sink_.write(s, static_cast<std::size_t>(n)))
            throw IpfsError(ErrorCode::io, "the client closed the connection");
        return n;
    }
    int_type overflow(int_type c) override {
        if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
        const char ch = traits_type::to_char_type(c);
        xsputn(&ch, 1);
        return c;
    }

private:
    DataSink& sink_;
};

/// A std::istream source over a ByteSource (for ContentStore::import_car).
class SourceBuf final : public std::streambuf {
public:
    explicit SourceBuf(ByteSource& src) : src_(src), buf_(64 * 1024) {}

protected:
    int_type underflow() override {
        if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
        const std::size_t n = src_.read(std::span(reinterpret_cast<std::uint8_t*>(buf_.data()), buf_.size()));
        if (n == 0) return traits_type::eof();
        setg(buf_.data(), buf_.data(), buf_.data() + n);
        return traits_type::to_int_type(*gptr());
    }

private:
    ByteSource& src_;
    std::vector<char> buf_;
};

/// Streams the CAR of `root` into the response (chunked: its length is not known in advance).
void stream_car(BlockStore& blocks, const Cid& root, Response& res) {
    res.set_chunked_content_provider("application/vnd.ipld.car; version=1", [&blocks, root](std::size_t, DataSink& sink) {
        try {
            SinkBuf buf(sink);
            std::ostream os(&buf);
            os.exceptions(std::ios::badbit);
            (void)car::write(blocks, root, os);
            sink.done();
            return true;
        } catch (...) {
            return false;  // headers are sent: aborting the connection is the only signal left
        }
    });
}

/// Streams `length` bytes of `open(offset)` into the response. httplib may ask for any offset
/// within the body; the stream is reopened if it is not where the provider left off.
void stream_file(Response& res, const std::string& type, std::uint64_t length,
                 std::function<std::unique_ptr<ByteSource>(std::uint64_t offset)> open) {
    struct State {
        std::function<std::unique_ptr<ByteSource>(std::uint64_t)> open;
        std::unique_ptr<ByteSource> src;
        std::uint64_t pos = 0;
        Bytes buf;
    };
    auto st = std::make_shared<State>();
    st->open = std::move(open);
    res.set_content_provider(static_cast<std::size_t>(length), type,
                             [st](std::size_t offset, std::size_t len, DataSink& sink) {
                                 try {
                                     if (!st->src || st->pos != offset) {
                                         st->src = st->open(offset);
                                         st->pos = offset;
                                     }
                                     st->buf.resize(std::min(len, kStreamChunk));
                                     const std::size_t n = st->src->read(st->buf);
                                     if (n == 0) return false;  // shorter than announced: abort
                                     st->pos += n;
                                     return sink.write(reinterpret_cast<const char*>(st->buf.data()), n);
                                 } catch (...) {
                                     return false;
                                 }
                             });
}

struct ByteRange {
    std::uint64_t first = 0;
    std::uint64_t length = 0;
};

/// The single byte range of a "Range: bytes=..." header against a body of `size` bytes.
/// nullopt: no usable Range header (absent, several ranges, other units: serve the whole body).
/// Throws RangeNotSatisfiable if it lies outside the body.
struct RangeNotSatisfiable {};
std::optional<ByteRange> parse_range(const Request& req, std::uint64_t size) {
    if (!req.has_header("Range")) return std::nullopt;
    const std::string header = req.get_header_value("Range");
    std::string_view v = header;
    if (!v.starts_with("bytes=")) return std::nullopt;
    v.remove_prefix(6);
    if (v.find(',') != std::string_view::npos) return std::nullopt;
    const auto dash = v.find('-');
    if (dash == std::string_view::npos) return std::nullopt;
    const std::string_view a = v.substr(0, dash), b = v.substr(dash + 1);
    try {
        if (a.empty()) {  // suffix: the last b bytes
            const std::uint64_t n = parse_uint(b, "range");
            if (n == 0 || size == 0) throw RangeNotSatisfiable{};
            const std::uint64_t len = std::min(n, size);
            return ByteRange{size - len, len};
        }
        const std::uint64_t first = parse_uint(a, "range");
        if (first >= size) throw RangeNotSatisfiable{};
        std::uint64_t last = b.empty() ? size - 1 : parse_uint(b, "range");
        if (last < first) return std::nullopt;
        last = std::min(last, size - 1);
        return ByteRange{first, last - first + 1};
    } catch (const ArgError&) {
        return std::nullopt;
    }
}

/// The host part of a Host header ("h:port", "[v6]:port", "h").
std::string host_of(const std::string& value) {
    if (value.starts_with('[')) {
        const auto close = value.find(']');
        return close == std::string::npos ? value : value.substr(1, close - 1);
    }
    return value.substr(0, value.find(':'));
}

bool is_loopback(const std::string& host) {
    return host == "127.0.0.1" || host == "localhost" || host == "::1" || host.starts_with("127.");
}

enum class Format { File, Raw, Car };

/// The response format from ?format= or the Accept header; throws ArgError / returns nullopt (406).
std::optional<Format> choose_format(const Request& req) {
    if (req.has_param("format")) {
        const std::string f = req.get_param_value("format");
        if (f == "raw") return Format::Raw;
        if (f == "car") return Format::Car;
        throw ArgError("unsupported format '" + f + "' (supported: raw, car)");
    }
    if (!req.has_header("Accept")) return Format::File;
    const std::string accept = req.get_header_value("Accept");
    std::size_t pos = 0;
    while (pos <= accept.size()) {
        std::size_t end = accept.find(',', pos);
        if (end == std::string::npos) end = accept.size();
        std::string item = accept.substr(pos, end - pos);
        const std::size_t semi = item.find(';');
        std::string params = semi == std::string::npos ? "" : item.substr(semi);
        if (semi != std::string::npos) item.resize(semi);
        item.erase(0, item.find_first_not_of(" \t"));
        item.erase(item.find_last_not_of(" \t") + 1);
        std::transform(item.begin(), item.end(), item.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (item == "application/vnd.ipld.raw") return Format::Raw;
        if (item == "application/vnd.ipld.car") {
            // Only CAR v1 is produced; a request for another version cannot be satisfied.
            if (params.find("version=") != std::string::npos && params.find("version=1") == std::string::npos) {
                pos = end + 1;
                continue;
            }
            return Format::Car;
        }
        if (item == "*/*" || item == "application/*" || item == "application/octet-stream" || item.empty())
            return Format::File;
        pos = end + 1;
    }
    return std::nullopt;
}

struct AddParams {
    ImportProfile profile;
    bool pin = true;
    bool only_hash = false;
    bool quieter = false;
    bool silent = false;
    multibase::Base base = multibase::Base::Base32Lower;
};

/// Kubo's `add` options. Defaults follow Kubo: CIDv0 unless cid-version=1, raw leaves with CIDv1.
AddParams parse_add_params(const Request& req) {
    AddParams p;
    const std::uint64_t cid_version = uint_param(req, "cid-version").value_or(0);
    if (cid_version > 1) throw ArgError("unsupported CID version " + std::to_string(cid_version));
    const bool raw_leaves = bool_param(req, "raw-leaves").value_or(cid_version == 1);
    std::uint64_t chunk = 262144;
    if (req.has_param("chunker")) {
        const std::string c = req.get_param_value("chunker");
        if (c.starts_with("size-"))
            chunk = parse_uint(std::string_view(c).substr(5), "chunk size");
        else if (c != "default")
            throw ArgError("unsupported chunker '" + c + "' (only size-<bytes>)");
    }
    const std::uint64_t links = uint_param(req, "max-file-links").value_or(174);
    if (req.has_param("hash") && req.get_param_value("hash") != "sha2-256")
        throw ArgError("unsupported hash function '" + req.get_param_value("hash") + "' (only sha2-256)");
    for (const char* flag : {"trickle", "wrap-with-directory", "inline", "nocopy", "fscache", "to-files"})
        if (req.has_param(flag) && (std::string_view(flag) == "to-files" || bool_param(req, flag).value_or(false)))
            throw ArgError(std::string("option '") + flag + "' is not supported");
    if (req.has_param("cid-base")) {
        const std::string b = req.get_param_value("cid-base");
        if (b == "base58btc")
            p.base = multibase::Base::Base58Btc;
        else if (b != "base32")
            throw ArgError("unsupported cid-base '" + b + "' (base32 or base58btc)");
    }
    try {
        if (chunk > (4u << 20) || links > 65536)
            throw IpfsError(ErrorCode::invalid_input, "chunk size or link count out of range");
        p.profile = ImportProfile::custom(static_cast<std::size_t>(chunk), static_cast<std::size_t>(links), raw_leaves,
                                          static_cast<std::uint8_t>(cid_version));
    } catch (const IpfsError& e) {
        throw ArgError(e.what());
    }
    p.pin = bool_param(req, "pin").value_or(true);
    p.only_hash = bool_param(req, "only-hash").value_or(false);
    p.quieter = bool_param(req, "quieter").value_or(false);
    p.silent = bool_param(req, "silent").value_or(false);
    return p;
}

/// Where the bytes of one file part of a multipart upload go while the body streams in.
class PartSink {
public:
    virtual ~PartSink() = default;
    /// Feeds bytes; false if the sink has stopped (failed).
    virtual bool write(const char* data, std::size_t n) = 0;
    /// The part ended well; rethrows the sink's error.
    virtual void finish() = 0;
    /// The body broke off.
    virtual void abort(const std::string& why) = 0;
    [[nodiscard]] virtual std::exception_ptr error() const = 0;
};

/// One file part of a multipart upload, consumed on a worker thread while the body streams in.
/// The part's bytes go into a bounded pipe; the worker runs `consume` over it.
class PartWorker final : public PartSink {
public:
    explicit PartWorker(std::function<void(ByteSource&)> consume) : pipe_(std::make_shared<BytePipe>()) {
        thread_ = std::thread([this, consume = std::move(consume)] {
            try {
                consume(*pipe_);
            } catch (...) {
                error_ = std::current_exception();
            }
            pipe_->abandon();  // stop a writer that is still pushing (error, or trailing bytes)
        });
    }
    ~PartWorker() override {
        if (thread_.joinable()) {
            pipe_->fail(std::make_exception_ptr(IpfsError("upload abandoned")));
            thread_.join();
        }
    }
    PartWorker(const PartWorker&) = delete;
    PartWorker& operator=(const PartWorker&) = delete;

    bool write(const char* data, std::size_t n) override {
        return pipe_->write(ByteView(reinterpret_cast<const std::uint8_t*>(data), n));
    }
    /// End of stream: waits for the worker, rethrows its error.
    void finish() override {
        pipe_->close();
        thread_.join();
        if (error_) std::rethrow_exception(error_);
    }
    /// The worker sees an error instead of a (truncated) end of stream.
    void abort(const std::string& why) override {
        pipe_->fail(std::make_exception_ptr(ArgError(why)));
        thread_.join();
    }
    [[nodiscard]] std::exception_ptr error() const override { return error_; }

private:
    std::shared_ptr<BytePipe> pipe_;
    std::thread thread_;
    std::exception_ptr error_;
};

/// A part kept in memory while it is small, handed to `small` at its end; one that grows past
/// `limit` goes to the worker `stream()` makes and streams like any other. An import sends
/// hundreds of sealed records in one request: held back, they are stored together with one
/// durable commit, where a worker per part would cost a thread and a commit each.
class SmallPart final : public PartSink {
public:
    SmallPart(std::size_t limit, std::function<std::unique_ptr<PartWorker>()> stream, std::function<void(Bytes)> small)
        : limit_(limit), stream_(std::move(stream)), small_(std::move(small)) {}

    bool write(const char* data, std::size_t n) override {
        if (worker_) return worker_->write(data, n);
        if (held_.size() + n <= limit_) {
            held_.insert(held_.end(), data, data + n);
            return true;
        }
        worker_ = stream_();
        const bool ok = held_.empty() || worker_->write(reinterpret_cast<const char*>(held_.data()), held_.size());
        Bytes().swap(held_);
        return ok && worker_->write(data, n);
    }
    void finish() override {
        if (worker_) return worker_->finish();
        small_(std::move(held_));
    }
    void abort(const std::string& why) override {
        if (worker_) worker_->abort(why);
    }
    [[nodiscard]] std::exception_ptr error() const override { return worker_ ? worker_->error() : nullptr; }

private:
    std::size_t limit_;
    std::function<std::unique_ptr<PartWorker>()> stream_;
    std::function<void(Bytes)> small_;
    Bytes held_;
    std::unique_ptr<PartWorker> worker_;
};

/// Runs `start(part)` for each file part of a multipart body and streams the part into the
/// worker it returns. Throws ArgError for a body that is not well-formed multipart, or rethrows
/// the first worker error. Directory parts are refused.
void for_each_part(const Request& req, Response& res, const ContentReader& reader,
                   const std::function<std::unique_ptr<PartSink>(const MultipartHeader&)>& start) {
    const std::string boundary = MultipartReader::boundary_of(req.get_header_value("Content-Type"));
    if (!req.is_multipart_form_data() || boundary.empty()) {
        if (!drain(req, reader)) res.set_header("Connection", "close");
        throw ArgError("expected a multipart/form-data body with a boundary");
    }
    // httplib parses a body it sees as multipart itself, slowly (multipart_reader.hpp): the
    // Content-Type it reads is changed so that the raw body comes here. The Request is not const
    // (a local of the server loop), so this is well defined.
    auto& headers = const_cast<Request&>(req).headers;
    headers.erase("Content-Type");
    headers.emplace("Content-Type", "application/octet-stream");
    std::unique_ptr<PartSink> current;
    std::exception_ptr failure;
    MultipartReader parts(
        boundary,
        [&](const MultipartHeader& part) {
            try {
                if (current) {
                    current->finish();
                    current.reset();
                }
                if (part.content_type == "application/x-directory")
                    throw ArgError("directories are not supported, only files");
                current = start(part);
                return true;
            } catch (...) {
                current.reset();
                failure = std::current_exception();
                return false;
            }
        },
        [&](const char* data, std::size_t n) {
            if (!current) return true;  // not a file part
            return current->write(data, n);
        });
    bool ok = reader([&](const char* data, std::size_t n) { return parts.feed(data, n); });
    std::string malformed = "malformed multipart body";
    if (ok && !parts.complete()) {
        ok = false;
        malformed += ": it ends before its closing boundary";
    } else if (!ok && !parts.stopped() && !parts.error().empty()) {
        malformed += ": " + parts.error();
    }
    if (ok && current) {
        try {
            current->finish();
        } catch (...) {
            failure = std::current_exception();
        }
        current.reset();
    }
    if (!ok) {
        res.set_header("Connection", "close");  // the rest of the body may be unread
        if (current) {
            // A worker that failed first made the reader stop; otherwise the body was malformed
            // and the worker now fails with that (its blocks stay unpinned).
            current->abort(malformed);
            if (!failure) failure = current->error();
            current.reset();
        }
        if (!failure) failure = std::make_exception_ptr(ArgError(malformed));
    }
    if (failure) std::rethrow_exception(failure);
}

}  // namespace

struct Gateway::Impl {
    ContentStore& content;
    BlockStore& blocks;
    GatewayOptions options;
    BufferedServer server;
    std::thread thread;
    int port = 0;
    bool running = false;

    Impl(ContentStore& c, BlockStore& b, GatewayOptions o) : content(c), blocks(b), options(std::move(o)) { routes(); }

    void routes();
    void gateway_get(const Request& req, Response& res);
    void rpc(const std::string& command, const Request& req, Response& res, const ContentReader& reader);
    void rpc_add(const Request& req, Response& res, const ContentReader& reader);
    void rpc_dag_import(const Request& req, Response& res, const ContentReader& reader);
    void rpc_cat(const Request& req, Response& res);
    void rpc_pin_ls(const Request& req, Response& res);
};

void Gateway::Impl::routes() {
    const std::size_t threads = std::max<std::size_t>(options.threads, 1);
    server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    server.set_tcp_nodelay(true);
    // httplib's default also sets SO_REUSEPORT, which would let a second server bind the same port
    // and silently share its connections; keep only SO_REUSEADDR (fast restarts).
    server.set_socket_options([](socket_t sock) {
        int yes = 1;
        ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    });  // otherwise every small response waits ~40 ms for delayed ACKs
    const auto t = static_cast<time_t>(options.io_timeout.count());
    server.set_read_timeout(t, 0);
    server.set_write_timeout(t, 0);

    // HTTP/1.1: a request with neither Content-Length nor Transfer-Encoding has no body. httplib
    // would instead read such a POST until the client closes; tell it the body is empty.
    server.set_pre_routing_handler([this](const Request& req, Response& res) {
        if (!req.has_header("Content-Length") && !req.has_header("Transfer-Encoding"))
            const_cast<Request&>(req).set_header("Content-Length", "0");
        if (req.path.starts_with("/api/")) {
            std::string why;
            if (req.has_header("Origin")) {
                const std::string origin = req.get_header_value("Origin");
                const auto& allowed = options.allowed_origins;
                if (std::find(allowed.begin(), allowed.end(), origin) == allowed.end())
                    why = "origin '" + origin + "' is not allowed to use the RPC API";
            }
            if (why.empty() && is_loopback(options.host) && req.has_header("Host") &&
                !is_loopback(host_of(req.get_header_value("Host"))))
                why = "host '" + req.get_header_value("Host") + "' is not a loopback name";
            if (!why.empty()) {
                res.set_header("Connection", "close");  // the body, if any, is not read
                send_error(res, Api::Rpc, 403, why);
                return httplib::Server::HandlerResponse::Handled;
            }
        }
        return httplib::Server::HandlerResponse::Unhandled;
    });

    const std::string ipfs = R"(/ipfs/.*)";
    server.Get(ipfs, [this](const Request& req, Response& res) { gateway_get(req, res); });
    auto gateway_405 = [](const Request& req, Response& res, const ContentReader& reader) {
        if (!drain(req, reader)) res.set_header("Connection", "close");
        res.set_header("Allow", "GET, HEAD");
        send_error(res, Api::Gateway, 405, "method " + req.method + " is not allowed here (GET or HEAD)");
    };
    server.Post(ipfs, gateway_405);
    server.Put(ipfs, gateway_405);
    server.Patch(ipfs, gateway_405);
    server.Delete(ipfs, gateway_405);
    server.Options(ipfs, [](const Request& req, Response& res) {
        res.set_header("Allow", "GET, HEAD");
        send_error(res, Api::Gateway, 405, "method " + req.method + " is not allowed here (GET or HEAD)");
    });

    const std::string api = R"(/api/v0/(.*))";
    server.Post(api, [this](const Request& req, Response& res, const ContentReader& reader) {
        rpc(req.matches[1].str(), req, res, reader);
    });
    auto rpc_405 = [](const Request& req, Response& res) {
        res.set_header("Allow", "POST");
        send_error(res, Api::Rpc, 405, "method " + req.method + " not allowed: the RPC API accepts POST only");
    };
    server.Get(api, rpc_405);
    server.Options(api, rpc_405);
    auto rpc_405_body = [rpc_405](const Request& req, Response& res, const ContentReader& reader) {
        if (!drain(req, reader)) res.set_header("Connection", "close");
        rpc_405(req, res);
    };
    server.Put(api, rpc_405_body);
    server.Patch(api, rpc_405_body);
    server.Delete(api, rpc_405_body);

    // Anything else (unknown paths, errors raised by the library itself): a JSON body.
    server.set_error_handler([](const Request& req, Response& res) {
        if (!res.body.empty() || res.content_provider_) return;
        const bool rpc = req.path.starts_with("/api/");
        const int status = res.status;
        send_error(res, rpc ? Api::Rpc : Api::Gateway, status,
                   status == 404 ? "no such route: " + req.path : "request rejected (HTTP " + std::to_string(status) + ")");
    });
    server.set_exception_handler([](const Request& req, Response& res, std::exception_ptr ep) {
        const Api kind = req.path.starts_with("/api/") ? Api::Rpc : Api::Gateway;
        const Failure f = classify(ep, kind);
        send_error(res, kind, f.status, f.message);
    });
}

void Gateway::Impl::gateway_get(const Request& req, Response& res) {
    take_over_ranges(req);
    guarded(res, Api::Gateway, [&] {
        const Cid root = parse_cid_arg(req.path);
        const std::optional<Format> format = choose_format(req);
        if (!format) {
            send_error(res, Api::Gateway, 406,
                       "unsupported Accept header '" + req.get_header_value("Accept") +
                           "' (application/vnd.ipld.raw, application/vnd.ipld.car, or any)");
            return;
        }
        res.set_header("X-Ipfs-Path", "/ipfs/" + root.to_string());
        res.set_header("X-Content-Type-Options", "nosniff");
        res.set_header("Cache-Control", "public, max-age=29030400, immutable");
        res.set_header("Vary", "Accept");
        switch (*format) {
            case Format::Raw: {
                const Bytes block = blocks.get_required(root);
                res.set_header("Etag", "\"" + root.to_string() + ".raw\"");
                res.set_content(std::string(as_chars(block)), "application/vnd.ipld.raw");
                return;
            }
            case Format::Car: {
                if (!blocks.has(root)) throw BlockNotFoundError(root.to_string());
                res.set_header("Etag", "\"" + root.to_string() + ".car\"");
                stream_car(blocks, root, res);
                return;
            }
            case Format::File: break;
        }
        const std::uint64_t size = file_size(blocks, root);
        res.set_header("Accept-Ranges", "bytes");
        res.set_header("Etag", "\"" + root.to_string() + "\"");
        std::optional<ByteRange> range;
        try {
            range = parse_range(req, size);
        } catch (const RangeNotSatisfiable&) {
            res.set_header("Content-Range", "bytes */" + std::to_string(size));
            send_error(res, Api::Gateway, 416, "range not satisfiable for a file of " + std::to_string(size) + " bytes");
            return;
        }
        const std::uint64_t first = range ? range->first : 0;
        const std::uint64_t length = range ? range->length : size;
        if (range) {
            res.status = 206;
            res.set_header("Content-Range", "bytes " + std::to_string(first) + "-" + std::to_string(first + length - 1) +
                                                "/" + std::to_string(size));
        } else {
            res.status = 200;
        }
        if (length == 0) {
            res.set_content("", "application/octet-stream");
            return;
        }
        BlockStore* store = &blocks;
        stream_file(res, "application/octet-stream", length, [store, root, first, length](std::uint64_t off) {
            return open_file(*store, root, first + off, length - off);
        });
    });
}

void Gateway::Impl::rpc(const std::string& command, const Request& req, Response& res, const ContentReader& reader) {
    take_over_ranges(req);
    if (command == "add") return guarded(res, Api::Rpc, [&] { rpc_add(req, res, reader); });
    if (command == "dag/import") return guarded(res, Api::Rpc, [&] { rpc_dag_import(req, res, reader); });
    // The other commands take no body; read any to keep the connection in step.
    if (!drain(req, reader)) {
        res.set_header("Connection", "close");
        return send_error(res, Api::Rpc, 400, "unexpected request body");
    }
    guarded(res, Api::Rpc, [&] {
        if (command == "cat") return rpc_cat(req, res);
        if (command == "block/get") {
            const Cid cid = cid_args(req).front();
            const Bytes block = blocks.get_required(cid);
            res.set_header("X-Stream-Output", "1");
            return res.set_content(std::string(as_chars(block)), "text/plain");
        }
        if (command == "block/stat") {
            const Cid cid = cid_args(req).front();
            const Bytes block = blocks.get_required(cid);
            const json body = {{"Key", cid.to_string()}, {"Size", block.size()}};
            return res.set_content(body.dump() + "\n", "application/json");
        }
        if (command == "dag/export") {
            const Cid root = cid_args(req).front();
            if (!blocks.has(root)) throw BlockNotFoundError(root.to_string());
            res.set_header("X-Stream-Output", "1");
            return stream_car(blocks, root, res);
        }
        if (command == "pin/add") {
            if (!bool_param(req, "recursive").value_or(true)) throw ArgError("only recursive pins are supported");
            json pins = json::array();
            for (const Cid& cid : cid_args(req)) {
                content.pin(cid);
                pins.push_back(cid.to_string());
            }
            return res.set_content(json{{"Pins", pins}}.dump() + "\n", "application/json");
        }
        if (command == "pin/rm") {
            const std::vector<Cid> args = cid_args(req);
            const std::vector<Cid> pinned = content.pins();
            for (const Cid& cid : args)
                if (std::find(pinned.begin(), pinned.end(), cid) == pinned.end())
                    throw IpfsError(ErrorCode::not_found, cid.to_string() + " is not pinned or pinned indirectly");
            json pins = json::array();
            for (const Cid& cid : args) {
                content.unpin(cid);
                pins.push_back(cid.to_string());
            }
            return res.set_content(json{{"Pins", pins}}.dump() + "\n", "application/json");
        }
        if (command == "pin/ls") return rpc_pin_ls(req, res);
        if (command == "version") {
            const json body = {{"Version", options.version}, {"Commit", ""}, {"Repo", "dossier"},
                               {"System", "amd64/linux"}, {"Golang", ""}};
            return res.set_content(body.dump() + "\n", "application/json");
        }
        send_error(res, Api::Rpc, 404, "unknown command \"" + command + "\"");
    });
}

void Gateway::Impl::rpc_cat(const Request& req, Response& res) {
    const Cid root = cid_args(req).front();
    const std::uint64_t offset = uint_param(req, "offset").value_or(0);
    const std::optional<std::uint64_t> limit = uint_param(req, "length");
    const std::uint64_t size = content.size(root);
    const std::uint64_t first = std::min(offset, size);
    const std::uint64_t length = std::min(size - first, limit.value_or(size));
    res.set_header("X-Stream-Output", "1");
    res.set_header("X-Content-Length", std::to_string(length));
    if (length == 0) return res.set_content("", "text/plain");
    ContentStore* store = &content;
    stream_file(res, "text/plain", length, [store, root, first, length](std::uint64_t off) {
        return store->cat(root, first + off, length - off);
    });
}

void Gateway::Impl::rpc_pin_ls(const Request& req, Response& res) {
    const std::string type = req.has_param("type") ? req.get_param_value("type") : "all";
    if (type != "all" && type != "recursive" && type != "direct" && type != "indirect")
        throw ArgError("invalid type '" + type + "' (all, recursive, direct, indirect)");
    const std::vector<Cid> pinned = content.pins();
    json keys = json::object();
    if (req.has_param("arg")) {
        for (const Cid& cid : cid_args(req)) {
            if (std::find(pinned.begin(), pinned.end(), cid) == pinned.end() || type == "direct" || type == "indirect")
                throw IpfsError(ErrorCode::not_found, "path '" + cid.to_string() + "' is not pinned");
            keys[cid.to_string()] = {{"Type", "recursive"}};
        }
    } else if (type == "all" || type == "recursive") {
        // Every pin here is recursive; blocks reachable from them (Kubo's "indirect") are not listed.
        for (const Cid& cid : pinned) keys[cid.to_string()] = {{"Type", "recursive"}};
    }
    res.set_content(json{{"Keys", keys}}.dump() + "\n", "application/json");
}

void Gateway::Impl::rpc_add(const Request& req, Response& res, const ContentReader& reader) {
    AddParams p;
    try {
        p = parse_add_params(req);
    } catch (...) {
        if (!drain(req, reader)) res.set_header("Connection", "close");
        throw;
    }
    constexpr std::size_t kSmallPart = 1u << 20;   // held in memory up to this size
    constexpr std::size_t kHeldAtMost = 32u << 20;  // stored before the body ends beyond this
    std::vector<json> lines;  // one per file part, in the body's order
    std::mutex lines_mutex;   // a worker fills its line while the reader thread goes on
    std::vector<Bytes> held;
    std::vector<std::size_t> held_slots;
    std::size_t held_bytes = 0;
    AddOptions add_options;
    add_options.profile = p.profile;
    add_options.pin = p.pin;
    // One part imported: only hashed (only-hash), or stored.
    const auto add_one = [this, &p, &add_options](ByteSource& src) {
        if (!p.only_hash) return content.add(src, add_options);
        NullBlockWriter sink;
        return import_file(src, sink, p.profile);
    };
    const auto line_of = [&p](const ImportResult& r, const std::string& name) {
        const std::string cid = r.root.to_string(p.base);
        return json{{"Name", name.empty() ? cid : name}, {"Hash", cid}, {"Size", std::to_string(r.dag_size)}};
    };
    const auto store_held = [&] {
        if (held.empty()) return;
        std::vector<std::unique_ptr<ByteSource>> sources;
        std::vector<ByteSource*> inputs;
        for (const Bytes& b : held) {
            sources.push_back(source_from_bytes(b));
            inputs.push_back(sources.back().get());
        }
        std::vector<ImportResult> results;
        if (p.only_hash) {
            for (ByteSource* in : inputs) results.push_back(add_one(*in));
        } else {
            results = content.add_many(inputs, add_options);  // one durable commit for all of them
        }
        std::lock_guard lock(lines_mutex);
        for (std::size_t k = 0; k < held_slots.size(); ++k) {
            json& line = lines[held_slots[k]];
            line = line_of(results[k], line["Name"].get<std::string>());
        }
        held.clear();
        held_slots.clear();
        held_bytes = 0;
    };
    for_each_part(req, res, reader, [&](const MultipartHeader& part) {
        const std::string name = part.filename;
        std::size_t slot = 0;
        {
            std::lock_guard lock(lines_mutex);
            slot = lines.size();
            lines.push_back(json{{"Name", name}});
        }
        auto stream = [&lines, &lines_mutex, &line_of, &add_one, name, slot] {
            return std::make_unique<PartWorker>([&lines, &lines_mutex, &line_of, &add_one, name, slot](ByteSource& src) {
                const ImportResult r = add_one(src);
                std::lock_guard lock(lines_mutex);
                lines[slot] = line_of(r, name);
            });
        };
        auto small = [&, slot](Bytes bytes) {
            held_bytes += bytes.size();
            held.push_back(std::move(bytes));
            held_slots.push_back(slot);
            if (held_bytes > kHeldAtMost) store_held();
        };
        return std::make_unique<SmallPart>(kSmallPart, std::move(stream), std::move(small));
    });
    store_held();
    std::string out;
    if (!p.silent) {
        if (p.quieter && !lines.empty()) lines.erase(lines.begin(), lines.end() - 1);  // only the last root
        for (const json& line : lines) out += line.dump() + "\n";
    }
    res.set_header("X-Chunked-Output", "1");
    res.set_content(out, "application/json");
}

void Gateway::Impl::rpc_dag_import(const Request& req, Response& res, const ContentReader& reader) {
    bool pin = true;
    try {
        pin = bool_param(req, "pin-roots").value_or(true);
    } catch (...) {
        if (!drain(req, reader)) res.set_header("Connection", "close");
        throw;
    }
    std::string out;
    std::mutex out_mutex;
    for_each_part(req, res, reader, [&](const MultipartHeader&) {
        return std::make_unique<PartWorker>([this, pin, &out, &out_mutex](ByteSource& src) {
            SourceBuf buf(src);
            std::istream in(&buf);
            const std::vector<Cid> roots = content.import_car(in, pin);
            std::lock_guard lock(out_mutex);
            for (const Cid& root : roots)
                out += json{{"Root", {{"Cid", {{"/", root.to_string()}}}, {"PinErrorMsg", ""}}}}.dump() + "\n";
        });
    });
    res.set_header("X-Chunked-Output", "1");
    res.set_content(out, "application/json");
}

Gateway::Gateway(ContentStore& content, BlockStore& blocks, GatewayOptions options)
    : impl_(std::make_unique<Impl>(content, blocks, std::move(options))) {}

Gateway::Gateway(LocalContentStore& store, GatewayOptions options) : Gateway(store, store.blocks(), std::move(options)) {}

Gateway::~Gateway() { stop(); }

void Gateway::start() {
    if (impl_->running) return;
    const std::string& host = impl_->options.host;
    int port = impl_->options.port;
    if (port == 0)
        port = impl_->server.bind_to_any_port(host);
    else if (!impl_->server.bind_to_port(host, port))
        port = -1;
    if (port <= 0)
        throw IpfsError(ErrorCode::io, "cannot listen on " + host + ":" + std::to_string(impl_->options.port) +
                                       " (address in use or not available)");
    impl_->port = port;
    impl_->running = true;
    // The socket is listening once bound; connections queue until the accept loop runs.
    impl_->thread = std::thread([this] { impl_->server.listen_after_bind(); });
}

void Gateway::stop() {
    if (!impl_->running) return;
    impl_->server.stop();
    if (impl_->thread.joinable()) impl_->thread.join();
    impl_->running = false;
}

int Gateway::port() const noexcept { return impl_->port; }

std::string Gateway::url() const {
    const std::string& h = impl_->options.host;
    return "http://" + (h.find(':') != std::string::npos ? "[" + h + "]" : h) + ":" + std::to_string(impl_->port);
}

void run_gateway(ContentStore& content, BlockStore& blocks, const GatewayOptions& options, std::stop_token stop,
                 const std::function<void(int port)>& on_ready) {
    Gateway gateway(content, blocks, options);
    gateway.start();
    if (on_ready) on_ready(gateway.port());
    std::mutex m;
    std::condition_variable_any cv;
    std::unique_lock lock(m);
    cv.wait(lock, stop, [] { return false; });
    gateway.stop();
}

}  // namespace dossier::ipfs
