#pragma once
/// The content-level interface the rest of Dossier uses: add a file, read it back (whole or a
/// range), pin and unpin, move DAGs in and out as CAR. Implementations: LocalContentStore (the
/// embedded FsBlockStore in the data directory) and a client of a Kubo node's RPC API. Both give
/// the same CIDs for the same bytes and profile.
#include <cstdint>
#include <istream>
#include <memory>
#include <optional>
#include <ostream>
#include <span>
#include <vector>

#include "ipfs/byte_stream.hpp"
#include "ipfs/cid.hpp"
#include "ipfs/importer.hpp"
#include "ipfs/profile.hpp"

namespace dossier::ipfs {

struct AddOptions {
    ImportProfile profile = ImportProfile::kubo_v1();
    ProgressFn progress;  ///< bytes of input consumed so far
    bool pin = true;      ///< pin the root recursively once every block is durable
};

class ContentStore {
public:
    virtual ~ContentStore() = default;

    /// Imports `input`; returns the root CID (and sizes). With options.pin the root is pinned only
    /// after all of its blocks are stored durably.
    [[nodiscard]] virtual ImportResult add(ByteSource& input, const AddOptions& options = {}) = 0;
    /// add() for several inputs as one batch, results in input order: when it returns, every
    /// input's blocks are durable (and its root pinned, with options.pin), as after that many
    /// add() calls; a store that can makes them durable with one flush for the whole batch
    /// instead of one each. The default calls add() for each input.
    [[nodiscard]] virtual std::vector<ImportResult> add_many(std::span<ByteSource* const> inputs,
                                                             const AddOptions& options = {});
    /// Streams the file at `root` from `offset`, at most `length` bytes; every block is verified.
    [[nodiscard]] virtual std::unique_ptr<ByteSource> cat(const Cid& root, std::uint64_t offset = 0,
                                                         std::optional<std::uint64_t> length = std::nullopt) = 0;
    /// File size of `root` in bytes.
    [[nodiscard]] virtual std::uint64_t size(const Cid& root) = 0;
    /// True if every block of the DAG at `root` is available locally (or on the node).
    [[nodiscard]] virtual bool has(const Cid& root) = 0;

    /// Recursive pins. pin() needs the whole DAG present (BlockNotFoundError otherwise).
    virtual void pin(const Cid& root) = 0;
    virtual void unpin(const Cid& root) = 0;
    [[nodiscard]] virtual std::vector<Cid> pins() = 0;

    /// Writes the DAG at `root` as a CAR v1 stream.
    virtual void export_car(const Cid& root, std::ostream& out) = 0;
    /// Reads a CAR v1 stream, verifying every block, and returns its roots (pinned if `pin`).
    [[nodiscard]] virtual std::vector<Cid> import_car(std::istream& in, bool pin = true) = 0;
};

inline std::vector<ImportResult> ContentStore::add_many(std::span<ByteSource* const> inputs, const AddOptions& options) {
    std::vector<ImportResult> out;
    out.reserve(inputs.size());
    for (ByteSource* input : inputs) out.push_back(add(*input, options));
    return out;
}

}  // namespace dossier::ipfs
