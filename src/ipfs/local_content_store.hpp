#pragma once
/// ContentStore over the embedded FsBlockStore in a data directory.
#include <filesystem>

#include "ipfs/content_store.hpp"
#include "ipfs/fs_block_store.hpp"

namespace dossier::ipfs {

class LocalContentStore final : public ContentStore {
public:
    /// Opens (creating if needed) the blockstore in `dir`.
    explicit LocalContentStore(std::filesystem::path dir);

    [[nodiscard]] ImportResult add(ByteSource& input, const AddOptions& options = {}) override;
    /// One writer for all inputs: one syncfs (two at most) and one pin-set write for the batch.
    [[nodiscard]] std::vector<ImportResult> add_many(std::span<ByteSource* const> inputs,
                                                     const AddOptions& options = {}) override;
    [[nodiscard]] std::unique_ptr<ByteSource> cat(const Cid& root, std::uint64_t offset = 0,
                                                 std::optional<std::uint64_t> length = std::nullopt) override;
    [[nodiscard]] std::uint64_t size(const Cid& root) override;
    [[nodiscard]] bool has(const Cid& root) override;
    void pin(const Cid& root) override;
    void unpin(const Cid& root) override;
    [[nodiscard]] std::vector<Cid> pins() override;
    void export_car(const Cid& root, std::ostream& out) override;
    [[nodiscard]] std::vector<Cid> import_car(std::istream& in, bool pin = true) override;

    [[nodiscard]] FsBlockStore& blocks() noexcept { return store_; }

private:
    FsBlockStore store_;
};

}  // namespace dossier::ipfs
