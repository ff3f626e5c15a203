/// `dossier demo`: the end-to-end demonstration (src/dossier/demo.hpp does the work; this prints it).
#include "dossier/demo.hpp"
#include "session.hpp"

namespace dossier::cli {

void add_demo_command(CLI::App& app, Session& s) {
    auto examples = std::make_shared<std::string>();
    auto* demo = example(app.add_subcommand("demo", "Run every workflow on the embedded node (started if needed) with "
                                                     "fresh demo accounts: doctors verified, patients from HL7's FHIR "
                                                     "examples, requests, approvals, a denial, records of every kind, "
                                                     "an update, an encrypted PDF, a revocation, refused reads, and "
                                                     "the audit trail verified. Runs again on the same data directory."),
                         "dossier --data-dir /tmp/dossier-demo demo");
    demo->add_option("--examples", *examples, "HL7 FHIR R4 examples directory (default: node_modules/hl7.fhir.r4.examples)");
    demo->callback([&s, examples] {
        s.action = [&s, examples] {
            core::DemoOptions opt;
            opt.examples_dir = *examples;
            opt.start_gateway = true;
            nlohmann::json steps = nlohmann::json::array();
            std::size_t n = 0;
            const auto result = core::run_demo(s.config(), opt, [&](const core::DemoStep& step) {
                ++n;
                steps.push_back({{"step", n}, {"name", step.name}, {"text", step.text}, {"refusal", step.refusal},
                                 {"data", step.data}});
                s.say(std::string(n < 10 ? " " : "") + std::to_string(n) + ". " + (step.refusal ? "[refused] " : "") +
                      step.text);
            });
            s.out = {{"run", result.run},
                     {"steps", steps},
                     {"expectedRefusals", result.expected_refusals},
                     {"auditVerified", result.audit_verified},
                     {"startedNode", result.started_node}};
            if (result.started_node) s.say("The node keeps running; stop it with 'dossier node down'.");
        };
    });
}

}  // namespace dossier::cli
