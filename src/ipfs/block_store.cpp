#include "ipfs/block_store.hpp"

#include <mutex>
#include <unordered_map>

namespace dossier::ipfs {

Bytes BlockStore::get_required(const Cid& cid) {
    auto b = get(cid);
    if (!b) throw BlockNotFoundError(cid.to_string());
    return std::move(*b);
}

void BlockStore::put_verified(const Cid& cid, ByteView block) {
    if (!cid.hash.matches(block)) throw CorruptBlockError(cid.to_string());
    put(cid, block);
}

namespace {

class SyncWriter final : public BlockWriter {
public:
    explicit SyncWriter(BlockStore& s) : store_(s) {}
    void put(const Cid& cid, Bytes&& block) override {
        store_.put(cid, block);
        spare_ = std::move(block);
    }
    void commit() override {}
    Bytes recycle() override { return std::move(spare_); }

private:
    BlockStore& store_;
    Bytes spare_;
};

struct DigestHash {
    std::size_t operator()(const Bytes32& d) const noexcept {
        std::size_t h = 0;
        for (int i = 0; i < 8; ++i) h = (h << 8) | d[static_cast<std::size_t>(i)];
        return h;
    }
};

}  // namespace

std::unique_ptr<BlockWriter> BlockStore::writer() { return std::make_unique<SyncWriter>(*this); }

struct MemoryBlockStore::Impl {
    mutable std::mutex mutex;
    std::unordered_map<Bytes32, Bytes, DigestHash> blocks;
    std::uint64_t bytes = 0;
};

std::shared_ptr<MemoryBlockStore::Impl> MemoryBlockStore::make_impl() { return std::make_shared<Impl>(); }

bool MemoryBlockStore::has(const Cid& cid) {
    std::lock_guard lock(impl_->mutex);
    return impl_->blocks.contains(cid.hash.digest);
}

std::optional<Bytes> MemoryBlockStore::get(const Cid& cid) {
    Bytes b;
    {
        std::lock_guard lock(impl_->mutex);
        auto it = impl_->blocks.find(cid.hash.digest);
        if (it == impl_->blocks.end()) return std::nullopt;
        b = it->second;
    }
    if (!cid.hash.matches(b)) throw CorruptBlockError(cid.to_string());
    return b;
}

void MemoryBlockStore::put(const Cid& cid, ByteView block) {
    std::lock_guard lock(impl_->mutex);
    auto [it, inserted] = impl_->blocks.try_emplace(cid.hash.digest, block.begin(), block.end());
    if (inserted) impl_->bytes += block.size();
}

void MemoryBlockStore::remove(const Cid& cid) {
    std::lock_guard lock(impl_->mutex);
    auto it = impl_->blocks.find(cid.hash.digest);
    if (it == impl_->blocks.end()) return;
    impl_->bytes -= it->second.size();
    impl_->blocks.erase(it);
}

void MemoryBlockStore::for_each(const std::function<void(const Multihash&)>& fn) {
    std::vector<Bytes32> keys;
    {
        std::lock_guard lock(impl_->mutex);
        keys.reserve(impl_->blocks.size());
        for (const auto& [k, v] : impl_->blocks) keys.push_back(k);
    }
    for (const auto& k : keys) fn(Multihash{k});
}

std::size_t MemoryBlockStore::size() const noexcept {
    std::lock_guard lock(impl_->mutex);
    return impl_->blocks.size();
}

std::uint64_t MemoryBlockStore::total_bytes() const noexcept {
    std::lock_guard lock(impl_->mutex);
    return impl_->bytes;
}

void MemoryBlockStore::corrupt(const Cid& cid, Bytes bytes) {
    std::lock_guard lock(impl_->mutex);
    auto it = impl_->blocks.find(cid.hash.digest);
    if (it != impl_->blocks.end()) it->second = std::move(bytes);
}

}  // namespace dossier::ipfs
