#include "ipfs/local_content_store.hpp"

#include "ipfs/car.hpp"
#include "ipfs/exporter.hpp"

namespace dossier::ipfs {

LocalContentStore::LocalContentStore(std::filesystem::path dir) : store_(std::move(dir)) {}

ImportResult LocalContentStore::add(ByteSource& input, const AddOptions& options) {
    // Hold off GC from the first block to the pin, or it could collect the unpinned blocks.
    auto guard = store_.gc_guard();
    auto writer = store_.writer();
    const ImportResult r = import_file(input, *writer, options.profile, options.progress);
    if (options.pin) store_.pin(r.root);  // after commit(): every block is durable
    return r;
}

namespace {

/// Passes blocks on to a writer shared by several imports and leaves its commit() to the owner,
/// so that one flush makes all of them durable.
class SharedWriter final : public BlockWriter {
public:
    explicit SharedWriter(BlockWriter& out) : out_(out) {}
    void put(const Cid& cid, Bytes&& block) override { out_.put(cid, std::move(block)); }
    void commit() override {}
    [[nodiscard]] Bytes recycle() override { return out_.recycle(); }

private:
    BlockWriter& out_;
};

}  // namespace

std::vector<ImportResult> LocalContentStore::add_many(std::span<ByteSource* const> inputs, const AddOptions& options) {
    auto guard = store_.gc_guard();
    auto writer = store_.writer();
    SharedWriter shared(*writer);
    std::vector<ImportResult> out;
    out.reserve(inputs.size());
    for (ByteSource* input : inputs) out.push_back(import_file(*input, shared, options.profile, options.progress));
    writer->commit();
    if (options.pin) {
        std::vector<Cid> roots;
        roots.reserve(out.size());
        for (const auto& r : out) roots.push_back(r.root);
        store_.pin(roots);  // after commit(): every block is durable
    }
    return out;
}

std::unique_ptr<ByteSource> LocalContentStore::cat(const Cid& root, std::uint64_t offset, std::optional<std::uint64_t> length) {
    return open_file(store_, root, offset, length);
}

std::uint64_t LocalContentStore::size(const Cid& root) { return file_size(store_, root); }

bool LocalContentStore::has(const Cid& root) {
    try {
        walk_dag(store_, root, [](const Cid&) {});
        return true;
    } catch (const BlockNotFoundError&) {
        return false;
    }
}

void LocalContentStore::pin(const Cid& root) { store_.pin(root); }
void LocalContentStore::unpin(const Cid& root) { store_.unpin(root); }
std::vector<Cid> LocalContentStore::pins() { return store_.pins(); }

void LocalContentStore::export_car(const Cid& root, std::ostream& out) { (void)car::write(store_, root, out); }

std::vector<Cid> LocalContentStore::import_car(std::istream& in, bool pin) {
    auto guard = store_.gc_guard();
    const car::ReadResult r = car::read(in, store_);
    if (pin)
        for (const Cid& root : r.roots) store_.pin(root);
    return r.roots;
}

}  // namespace dossier::ipfs
