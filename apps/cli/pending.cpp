// Temporary: groups not written yet.
#include "session.hpp"
namespace dossier::cli {
void add_doctor_commands(CLI::App&, Session&) {}
void add_patient_commands(CLI::App&, Session&) {}
void add_access_commands(CLI::App&, Session&) {}
void add_record_commands(CLI::App&, Session&) {}
void add_file_commands(CLI::App&, Session&) {}
void add_audit_commands(CLI::App&, Session&) {}
void add_demo_command(CLI::App&, Session&) {}
}
