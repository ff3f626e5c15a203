#pragma once
/// The gateway's HTTP server: cpp-httplib's Server, reading each connection through a buffer of
/// its own.
///
/// The httplib library Debian ships reads a request body 4 KiB at a time, each read a poll and a
/// recv (and, on TCP, often a window update sent back): for a 1 GiB upload, half a million system
/// calls on the one thread that receives it, which made that thread the limit of `file attach`.
/// This server hands httplib a Stream that fills a 256 KiB buffer with one recv and serves the
/// 4 KiB reads from it; routing, parsing and responses stay httplib's. Every connection is
/// TCP_NODELAY (the gateway's choice, made here since this replaces where httplib applies it).
#include <httplib.h>

namespace dossier::ipfs {

class BufferedServer final : public httplib::Server {
private:
    bool process_and_close_socket(socket_t sock) override;
};

}  // namespace dossier::ipfs
