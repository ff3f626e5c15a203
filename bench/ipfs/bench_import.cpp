// Import throughput of a large file in the kubo-v1 profile, side by side with the JS importer.
// A plain main rather than Google Benchmark: one 1 GiB import is one measurement, and each mode
// runs in its own child process so that its peak RSS (ru_maxrss from wait4) is its own.
//
//   bench_import [--size-mib N] [--profile kubo-v1|unixfs-v1-2025] [--dir D] [--runs R] [--no-js]
//
// Modes: baselines (the file copied into one file, buffered or direct, fdatasync'd: the storage
// ceiling), hash-only (chunk + SHA-256 + DAG, blocks discarded), store (into a fresh FsBlockStore,
// durable: every block synced and renamed, directories fsync'd, root pinned), and the JS importer
// (ipfs-unixfs-importer into a MemoryBlockstore; node's own time from process start to exit).
// The input file is written once and read from the page cache by every mode. Dossier's times
// cover the import only (a fresh store is created, with its 1024 shard directories, beforehand);
// node's time is the whole process, start-up included (about 0.1 s).
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "ipfs/importer.hpp"
#include "ipfs/local_content_store.hpp"

using namespace dossier::ipfs;
namespace fs = std::filesystem;

namespace {

struct Sample {
    double seconds = 0;
    long maxrss_kib = 0;
    double cpu_seconds = 0;  ///< user + system time of the child (whole process)
    std::string cid;
};

void make_input(const fs::path& path, std::uint64_t size) {
    FILE* f = std::fopen(path.c_str(), "wb");
    if (f == nullptr) throw std::runtime_error("cannot create " + path.string());
    std::vector<std::uint64_t> buf(1 << 17);
    std::uint64_t x = 0x9E3779B97F4A7C15ull;
    for (std::uint64_t done = 0; done < size;) {
        for (auto& w : buf) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            w = x;
        }
        const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(size - done, buf.size() * 8));
        std::fwrite(buf.data(), 1, n, f);
        done += n;
    }
    std::fclose(f);
}

/// Runs `fn` in a child; the child times fn (not the fork, nor opening the store: `setup`) and
/// reports "<cid> <seconds>" through a pipe. Returns that time and the child's peak RSS.
template <class Setup, class F>
Sample in_child(Setup setup, F fn) {
    int fds[2];
    if (::pipe(fds) != 0) throw std::runtime_error("pipe");
    const auto t0 = std::chrono::steady_clock::now();
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::close(fds[0]);
        std::string cid;
        try {
            auto state = setup();
            const auto t = std::chrono::steady_clock::now();
            cid = fn(state);
            cid += " " + std::to_string(std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count());
        } catch (const std::exception& e) {
            cid = std::string("error: ") + e.what();
        }
        (void)!::write(fds[1], cid.data(), cid.size());
        ::_exit(0);
    }
    ::close(fds[1]);
    Sample s;
    char buf[512];
    for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;) s.cid.append(buf, static_cast<std::size_t>(n));
    ::close(fds[0]);
    int status = 0;
    struct rusage ru {};
    ::wait4(pid, &status, 0, &ru);
    s.maxrss_kib = ru.ru_maxrss;
    s.cpu_seconds = static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
                    static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
    const auto sp = s.cid.find(' ');
    s.seconds = sp == std::string::npos ? 0 : std::stod(s.cid.substr(sp + 1));
    s.cid = s.cid.substr(0, sp);
    (void)t0;
    return s;
}

Sample run_js(const std::string& script, const ImportProfile& p, const fs::path& input) {
    int fds[2];
    if (::pipe(fds) != 0) throw std::runtime_error("pipe");
    const std::string chunk = std::to_string(p.chunk_size);
    const std::string links = std::to_string(p.max_links);
    const auto t0 = std::chrono::steady_clock::now();
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::dup2(fds[1], 1);
        ::close(fds[0]);
        ::close(fds[1]);
        ::execlp("node", "node", script.c_str(), chunk.c_str(), links.c_str(), input.c_str(), static_cast<char*>(nullptr));
        ::_exit(127);
    }
    ::close(fds[1]);
    Sample s;
    char buf[512];
    for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;) s.cid.append(buf, static_cast<std::size_t>(n));
    ::close(fds[0]);
    int status = 0;
    struct rusage ru {};
    ::wait4(pid, &status, 0, &ru);
    s.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    s.maxrss_kib = ru.ru_maxrss;
    s.cpu_seconds = static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
                    static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
    s.cid = s.cid.substr(0, s.cid.find(' '));
    return s;
}

std::string import_fd(const fs::path& input, BlockWriter& out, const ImportProfile& p) {
    const int fd = ::open(input.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw std::runtime_error("cannot open input");
    auto src = source_from_fd(fd);
    const ImportResult r = import_file(*src, out, p);
    ::close(fd);
    return r.root.to_string();
}

void report(const char* mode, std::uint64_t size, const Sample& s) {
    std::printf("%-28s %8.3f s %7.3f GB/s  cpu %6.2f s  peak RSS %7.1f MiB  %s\n", mode, s.seconds,
                static_cast<double>(size) / s.seconds / 1e9, s.cpu_seconds, static_cast<double>(s.maxrss_kib) / 1024.0,
                s.cid.c_str());
}

}  // namespace

int main(int argc, char** argv) {
    std::uint64_t size_mib = 1024;
    std::string profile_name = "kubo-v1";
    fs::path dir = fs::temp_directory_path() / ("dossier-bench-import-" + std::to_string(::getpid()));
    int runs = 3;
    bool js = true;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--size-mib" && i + 1 < argc) size_mib = std::stoull(argv[++i]);
        else if (a == "--profile" && i + 1 < argc) profile_name = argv[++i];
        else if (a == "--dir" && i + 1 < argc) dir = argv[++i];
        else if (a == "--runs" && i + 1 < argc) runs = std::stoi(argv[++i]);
        else if (a == "--no-js") js = false;
        else {
            std::fprintf(stderr, "usage: %s [--size-mib N] [--profile P] [--dir D] [--runs R] [--no-js]\n", argv[0]);
            return 2;
        }
    }
    const ImportProfile profile = ImportProfile::by_name(profile_name);
    const std::uint64_t size = size_mib << 20;
    fs::create_directories(dir);
    const fs::path input = dir / "input.bin";
    make_input(input, size);
    std::printf("import of %llu MiB, profile %s (chunk %zu, %zu links), %d runs, median\n",
                static_cast<unsigned long long>(size_mib), profile.name.c_str(), profile.chunk_size, profile.max_links, runs);

    auto median = [&](auto fn) {
        std::vector<Sample> v;
        for (int i = 0; i < runs; ++i) v.push_back(fn());
        std::printf("  runs:");
        for (const Sample& x : v) std::printf(" %.3f s", x.seconds);
        std::printf("\n");
        std::sort(v.begin(), v.end(), [](const Sample& a, const Sample& b) { return a.seconds < b.seconds; });
        return v[v.size() / 2];
    };
    const Sample hash = median([&] {
        return in_child([] { return 0; }, [&](int) {
            NullBlockWriter sink;
            return import_fd(input, sink, profile);
        });
    });
    report("dossier hash-only", size, hash);
    // Each run imports into a fresh store, and every store is kept until the end. Deleting the
    // previous run's 4,096 blocks first would slow the next run down by up to 2x on ext4 without a
    // journal (as this machine's root is): for 60 s after a deletion, the inode allocator skips
    // each recently freed inode and looks up its inode-table block for every new file it creates.
    // Everything written so far is synced before the clock starts, so no run drains another's
    // writeback.
    int run_no = 0;
    const Sample store = median([&] {
        const fs::path repo = dir / ("repo" + std::to_string(run_no++));
        ::sync();
        return in_child([&] { return std::make_unique<LocalContentStore>(repo); }, [&](std::unique_ptr<LocalContentStore>& csp) {
            LocalContentStore& cs = *csp;
            const int fd = ::open(input.c_str(), O_RDONLY | O_CLOEXEC);
            auto src = source_from_fd(fd);
            const ImportResult r = cs.add(*src, AddOptions{profile, {}, true});
            ::close(fd);
            return r.root.to_string();
        });
    });
    report("dossier store (durable+pin)", size, store);
    // The storage ceiling, measured in the same run: the input copied into one file with 256 KiB
    // write(2) calls and one fdatasync (no hashing, no per-block files), once through the page
    // cache and once with direct I/O (from an aligned buffer), which is how the store writes its
    // leaves. One file's deletion costs the next run nothing, so each copy replaces the last.
    auto copy_mode = [&](bool direct) {
        return median([&] {
            const fs::path out = dir / "copy.bin";
            fs::remove(out);
            ::sync();
            return in_child([] { return 0; }, [&](int) {
                const int in = ::open(input.c_str(), O_RDONLY | O_CLOEXEC);
                const int o = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | (direct ? O_DIRECT : 0), 0644);
                if (in < 0 || o < 0) throw std::runtime_error("cannot open the copy");
                void* mem = std::aligned_alloc(4096, profile.chunk_size);
                auto* buf = static_cast<char*>(mem);
                for (ssize_t n; (n = ::read(in, buf, profile.chunk_size)) > 0;)
                    if (::write(o, buf, static_cast<std::size_t>(n)) != n) throw std::runtime_error("write");
                ::fdatasync(o);
                std::free(mem);
                ::close(o);
                ::close(in);
                return std::string("-");
            });
        });
    };
    report("baseline: cp + fdatasync", size, copy_mode(false));
    report("baseline: cp O_DIRECT", size, copy_mode(true));
    if (js) {
        const Sample j = median([&] { return run_js(std::string(DOSSIER_SOURCE_DIR) + "/tests/ipfs/js/import.mjs", profile, input); });
        report("js importer (memory)", size, j);
        if (j.cid != hash.cid) std::printf("CID MISMATCH between Dossier and JS\n");
    }
    if (store.cid != hash.cid) std::printf("CID MISMATCH between hash-only and store\n");
    fs::remove_all(dir);
    return 0;
}
