// Temporary: groups not written yet.
#include "session.hpp"
namespace dossier::cli {
void add_demo_command(CLI::App&, Session&) {}
}
