#pragma once
/// Terminal input and output for the `dossier` command: passwords without echo, progress bars on
/// stderr, and the choice between human text and --json.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace dossier::cli {

/// Where a password comes from, in order: --password-file, the environment variable
/// DOSSIER_PASSWORD (or `env_name`), an interactive prompt on the terminal (no echo). Never a
/// command-line argument: those are visible to every user in `ps`.
struct PasswordSource {
    std::optional<std::filesystem::path> file;
    std::string env_name = "DOSSIER_PASSWORD";
};

/// Reads a password. `confirm` asks twice at a prompt (for new keys). Throws dossier::Error with
/// one sentence when no source is available (no terminal and nothing else given) or a file is
/// unreadable. A trailing newline in a file is dropped.
[[nodiscard]] std::string read_password(const PasswordSource& source, const std::string& prompt, bool confirm = false);

/// A progress bar drawn on stderr when it is a terminal, silent otherwise (keeps --json clean).
class ProgressBar {
public:
    /// `unit`: "bytes" (shown as KiB, MiB...) or a count's name ("records").
    explicit ProgressBar(std::string label, std::string unit = "bytes");
    ~ProgressBar();
    /// Updates the bar with the rate since the first update and, with a total, the time left.
    /// `total` 0 means unknown. Redraws at most every 100 ms.
    void update(std::uint64_t done, std::uint64_t total);
    void finish();

private:
    [[nodiscard]] std::string amount(std::uint64_t n) const;

    std::string label_, unit_;
    std::int64_t start_ms_ = -1;
    bool active_;
    bool finished_ = false;
    std::int64_t last_draw_ms_ = 0;
};

/// Formats a byte count as "1.5 MiB".
[[nodiscard]] std::string human_bytes(std::uint64_t n);

}  // namespace dossier::cli
