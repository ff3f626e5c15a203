#include "terminal.hpp"

#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>

#include "dossier/client/error.hpp"

namespace dossier::cli {

namespace {
std::string prompt_no_echo(const std::string& prompt) {
    std::FILE* tty = std::fopen("/dev/tty", "r+");
    if (!tty) throw Error("a password is needed: give --password-file or set DOSSIER_PASSWORD (no terminal to ask on)");
    std::fputs(prompt.c_str(), tty);
    std::fflush(tty);
    termios old{};
    const int fd = fileno(tty);
    const bool is_term = tcgetattr(fd, &old) == 0;
    if (is_term) {
        termios quiet = old;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        tcsetattr(fd, TCSAFLUSH, &quiet);
    }
    std::string line;
    int c;
    while ((c = std::fgetc(tty)) != EOF && c != '\n') line.push_back(static_cast<char>(c));
    if (is_term) tcsetattr(fd, TCSAFLUSH, &old);
    std::fputs("\n", tty);
    std::fclose(tty);
    return line;
}
}  // namespace

std::string read_password(const PasswordSource& source, const std::string& prompt, bool confirm) {
    if (source.file) {
        std::ifstream in(*source.file, std::ios::binary);
        if (!in) throw Error("cannot read the password file '" + source.file->string() + "'");
        std::string pw((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        while (!pw.empty() && (pw.back() == '\n' || pw.back() == '\r')) pw.pop_back();
        return pw;
    }
    if (const char* env = std::getenv(source.env_name.c_str()); env != nullptr) return env;
    const std::string pw = prompt_no_echo(prompt);
    if (confirm && prompt_no_echo("Repeat the password: ") != pw) throw Error("the two passwords differ");
    return pw;
}

ProgressBar::ProgressBar(std::string label, std::string unit)
    : label_(std::move(label)), unit_(std::move(unit)), active_(isatty(STDERR_FILENO) != 0) {}

std::string ProgressBar::amount(std::uint64_t n) const {
    return unit_ == "bytes" ? human_bytes(n) : std::to_string(n);
}

ProgressBar::~ProgressBar() {
    if (active_ && !finished_ && last_draw_ms_ != 0) std::cerr << "\n";
}

void ProgressBar::update(std::uint64_t done, std::uint64_t total) {
    if (!active_) return;
    const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::steady_clock::now().time_since_epoch()).count();
    if (start_ms_ < 0) start_ms_ = now;
    if (now - last_draw_ms_ < 100 && done != total) return;
    last_draw_ms_ = now;
    std::string line = "\r" + label_ + " ";
    if (total > 0) {
        const int width = 30;
        const auto filled = static_cast<int>(static_cast<double>(std::min(done, total)) / static_cast<double>(total) * width);
        line += "[" + std::string(static_cast<std::size_t>(filled), '#') +
                std::string(static_cast<std::size_t>(width - filled), ' ') + "] ";
        line += amount(done) + " / " + amount(total);
    } else {
        line += amount(done);
    }
    if (unit_ != "bytes") line += " " + unit_;
    // The rate since the first update, and the time left at that rate.
    const double seconds = static_cast<double>(now - start_ms_) / 1000.0;
    if (seconds >= 0.5 && done > 0) {
        const double rate = static_cast<double>(done) / seconds;
        char buf[64];
        if (unit_ == "bytes") {
            line += ", " + human_bytes(static_cast<std::uint64_t>(rate)) + "/s";
        } else {
            std::snprintf(buf, sizeof buf, ", %.0f/s", rate);
            line += buf;
        }
        if (total > done) {
            const auto left = static_cast<std::uint64_t>(static_cast<double>(total - done) / rate);
            std::snprintf(buf, sizeof buf, ", %llu:%02llu left", static_cast<unsigned long long>(left / 60),
                          static_cast<unsigned long long>(left % 60));
            line += buf;
        }
    }
    std::cerr << line << "\x1b[K" << std::flush;
}

void ProgressBar::finish() {
    if (active_ && last_draw_ms_ != 0 && !finished_) std::cerr << "\n";
    finished_ = true;
}

std::string human_bytes(std::uint64_t n) {
    const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double v = static_cast<double>(n);
    int u = 0;
    while (v >= 1024 && u < 4) {
        v /= 1024;
        ++u;
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.1f %s", v, units[u]);
    return buf;
}

}  // namespace dossier::cli
