/// `dossier-gateway --data-dir DIR [--port PORT]`: serves the embedded IPFS store of a data
/// directory on a loopback port until SIGTERM or SIGINT (Client::serve_ipfs). node_up starts
/// it detached; people rarely run it by hand. Exit codes: 0 stopped cleanly, 1 error, 2 usage.
#include <cstdio>
#include <iostream>
#include <stop_token>
#include <string>
#include <string_view>

#include "dossier/client/client.hpp"

namespace {

constexpr std::string_view kUsage =
    "Usage: dossier-gateway [--data-dir DIR] [--port PORT]\n"
    "\n"
    "Serves the embedded IPFS store of a Dossier data directory on 127.0.0.1 until SIGTERM or\n"
    "SIGINT. 'dossier node up' starts it; it prints one line once it listens.\n"
    "\n"
    "  --data-dir DIR  the data directory (default: $DOSSIER_DATA_DIR, else ~/.local/share/dossier)\n"
    "  --port PORT     loopback port (default 0: any free port)\n"
    "  --help          this text\n";

int usage_error(const std::string& message) {
    std::cerr << "dossier-gateway: " << message << "\n\n" << kUsage;
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    dossier::client::Config config;
    int port = 0;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        // Both "--name value" and "--name=value", like the CLI.
        auto value = [&](std::string_view name, std::string& out) {
            if (arg == name) {
                if (i + 1 >= argc) return false;
                out = argv[++i];
                return true;
            }
            if (arg.size() > name.size() && arg.starts_with(name) && arg[name.size()] == '=') {
                out = std::string(arg.substr(name.size() + 1));
                return true;
            }
            return false;
        };
        std::string text;
        if (arg == "--help" || arg == "-h") {
            std::cout << kUsage;
            return 0;
        }
        if (arg.starts_with("--data-dir")) {
            if (!value("--data-dir", text) || text.empty()) return usage_error("--data-dir needs a directory");
            config.data_dir = text;
        } else if (arg.starts_with("--port")) {
            if (!value("--port", text)) return usage_error("--port needs a number");
            try {
                std::size_t used = 0;
                port = std::stoi(text, &used);
                if (used != text.size() || port < 0 || port > 65535) throw std::out_of_range(text);
            } catch (const std::exception&) {
                return usage_error("'" + text + "' is not a port number");
            }
        } else {
            return usage_error("unknown argument '" + std::string(arg) + "'");
        }
    }
    try {
        dossier::client::make_client(config)->serve_ipfs(port, std::stop_token{}, [](int bound) {
            std::cout << "serving the embedded IPFS store on http://127.0.0.1:" << bound << std::endl;
        });
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "dossier-gateway: " << e.what() << '\n';
        return 1;
    }
}
