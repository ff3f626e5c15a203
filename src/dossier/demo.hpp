#pragma once
/// The end-to-end demonstration behind `dossier demo`: every workflow of Dossier on the embedded
/// node, told step by step through a callback (the CLI prints the steps; a test can watch them).
///
/// On the data directory of `config` (embedded chain only; the node is started with node_up() if
/// it is not running), with fresh accounts labelled "demo<N>-..." (N = the first free run number,
/// so the demo can run again on the same data directory) under one demo password and geth's light
/// scrypt cost:
///  - the credentialing authority (anvil's first dev account, imported once as "demo-authority");
///  - two doctors register and are verified;
///  - three patients from HL7's FHIR R4 example Patient resources: two register themselves, the
///    third is added by a doctor with the patient's signed consent;
///  - access requests, two approvals and one denial;
///  - records of every kind (condition, medication, allergy, appointment, note), an update, a
///    generated PDF attached to a record, a doctor's logged read and file fetch;
///  - a revocation (new key epoch), a record written afterwards, and the revoked doctor's read of it
///    refused (NoAccessError, reported as the expected outcome), as is the denied doctor's read;
///  - every patient's audit trail verified against the chain.
/// Any unexpected error is thrown (one sentence); an expected refusal that does not happen is an
/// Error too.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "dossier/config.hpp"

namespace dossier::core {

struct DemoStep {
    std::string name;        ///< short machine name, e.g. "doctor-verified"
    std::string text;        ///< one or two sentences for people
    nlohmann::json data;     ///< the facts of the step (addresses, record ids, epochs...)
    bool refusal = false;    ///< the step is a refusal the demo expected (and got)
};

using DemoStepFn = std::function<void(const DemoStep& step)>;

struct DemoOptions {
    /// HL7's FHIR R4 examples (the npm package hl7.fhir.r4.examples). Empty: $DOSSIER_FHIR_EXAMPLES,
    /// else node_modules/hl7.fhir.r4.examples (or .../package) in the working directory, the
    /// executable's directory or one of their parents.
    std::filesystem::path examples_dir;
    /// Whether node_up() starts the IPFS gateway daemon when the demo starts the node (the CLI
    /// does, so the node it leaves running serves other commands; tests read the store directly).
    bool start_gateway = false;
    /// The password of every account the demo creates (they are throwaway accounts).
    std::string password = "dossier-demo";
};

struct DemoResult {
    std::uint32_t run = 0;               ///< the N of the labels
    std::size_t steps = 0;
    std::size_t expected_refusals = 0;
    bool audit_verified = false;         ///< every patient's trail matched the chain
    bool started_node = false;
    /// Every personal or medical string the demo put into encrypted documents (names, birth dates,
    /// diagnoses, drug names, file names): none of them may reach the chain or the store in clear.
    std::vector<std::string> private_strings;
};

/// Finds HL7's example directory as DemoOptions::examples_dir says; throws Error if not found.
[[nodiscard]] std::filesystem::path find_fhir_examples(const std::filesystem::path& requested = {});

/// Runs the demonstration (see above). Throws Error (one sentence) on any unexpected outcome.
DemoResult run_demo(const Config& config, const DemoOptions& options, const DemoStepFn& on_step);

}  // namespace dossier::core
