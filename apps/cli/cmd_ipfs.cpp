/// `dossier ipfs serve` (hidden): the embedded IPFS gateway daemon run by hand, in the foreground.
/// `dossier node up` starts the separate `dossier-gateway` program instead (core::gateway_binary),
/// which any program using the library can start; both run core::serve_ipfs.
#include <iostream>
#include <stop_token>

#include "session.hpp"

namespace dossier::cli {

void add_ipfs_commands(CLI::App& app, Session& s) {
    auto* ipfs = app.add_subcommand("ipfs", "The embedded IPFS store's gateway")->group("");
    ipfs->require_subcommand(1);
    auto* serve = example(ipfs->add_subcommand("serve", "Serve the embedded store on a loopback port until SIGTERM "
                                                        "('dossier node up' starts the same server as dossier-gateway)"),
                          "dossier ipfs serve --data-dir ~/.local/share/dossier --port 5001");
    auto port = std::make_shared<int>(0);
    serve->add_option("--port", *port, "Loopback port (0: any free port, printed when ready)");
    serve->callback([&s, port] {
        s.action = [&s, port] {
            const bool json = s.json;
            s.json = false;  // the ready line is the whole output
            s.client().serve_ipfs(*port, std::stop_token{}, [json](int bound) {
                if (json)
                    std::cout << nlohmann::json{{"port", bound}}.dump() << std::endl;
                else
                    std::cout << "serving the embedded IPFS store on http://127.0.0.1:" << bound << std::endl;
            });
            s.action = nullptr;
        };
    });
}

}  // namespace dossier::cli
