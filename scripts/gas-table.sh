#!/usr/bin/env bash
# Regenerates docs/gas.md: builds the contracts, starts a private anvil on a free loopback port,
# deploys Dossier with one transaction, runs every write as a real signed transaction with cast and
# reads gasUsed from its receipt (21,000 base included; solc's optimizer as in foundry.toml).
# Usage: scripts/gas-table.sh [output file, default docs/gas.md]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/docs/gas.md}
bin=$root/node_modules/@foundry-rs
anvil=$bin/anvil-linux-amd64/bin/anvil
cast=$bin/cast-linux-amd64/bin/cast
forge=$bin/forge-linux-amd64/bin/forge
artifacts=$root/contracts/out

(cd "$root/contracts" && "$forge" build --quiet)

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
rpc=http://127.0.0.1:$port
"$anvil" --host 127.0.0.1 --port "$port" --silent &
anvil_pid=$!
trap 'kill "$anvil_pid" 2>/dev/null || true' EXIT
for _ in $(seq 100); do "$cast" chain-id --rpc-url "$rpc" >/dev/null 2>&1 && break; sleep 0.1; done

# anvil's well-known development keys (accounts 0-3), funded on every fresh anvil.
authority_key=0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80
doctor_key=0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d
patient_key=0x5de4111afa1a4b94908f83e0ea1d3e1c2b1e3b5d1b2f5b1e8e3f1b0d3c3e3a1f
doctor2_key=0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6
patient2_key=0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a
authority=$("$cast" wallet address --private-key $authority_key)
doctor=$("$cast" wallet address --private-key $doctor_key)
patient=$("$cast" wallet address --private-key $patient_key)
doctor2=$("$cast" wallet address --private-key $doctor2_key)
patient2=$("$cast" wallet address --private-key $patient2_key)
"$cast" rpc --rpc-url "$rpc" anvil_setBalance "$patient" 0x3635c9adc5dea00000 >/dev/null

hex() { od -An -tx1 -N"$1" /dev/urandom | tr -d ' \n' | sed 's/^/0x/'; }
envelope() { hex 93; }   # a wrapped data key: 33-byte ephemeral key, 12-byte nonce, 32+16 ciphertext
digest() { hex 32; }

# send KEY TO SIG ARGS... -> prints gasUsed of the mined transaction, fails if it reverted
send() {
  local key=$1 to=$2; shift 2
  local receipt
  receipt=$("$cast" send --rpc-url "$rpc" --private-key "$key" --json "$to" "$@")
  [ "$(jq -r .status <<<"$receipt")" = "0x1" ] || { echo "reverted: $*" >&2; exit 1; }
  printf '%d\n' "$(jq -r .gasUsed <<<"$receipt")"
}

bytecode=$(jq -r .bytecode.object "$artifacts/DossierDeployment.sol/DossierDeployment.json")
args=$("$cast" abi-encode "constructor(address)" "$authority")
deploy=$("$cast" send --rpc-url "$rpc" --private-key $authority_key --json --create "$bytecode${args#0x}")
deployment=$(jq -r .contractAddress <<<"$deploy")
deploy_gas=$(printf '%d' "$(jq -r .gasUsed <<<"$deploy")")
doctors=$("$cast" call --rpc-url "$rpc" "$deployment" "DOCTORS()(address)")
patients=$("$cast" call --rpc-url "$rpc" "$deployment" "PATIENTS()(address)")

pubkey() { "$cast" wallet public-key --private-key "$1"; }
now() { "$cast" block latest --rpc-url "$rpc" --field timestamp; }

declare -A gas
gas[registerDoctor]=$(send $doctor_key "$doctors" "registerDoctor(bytes,bytes32)" "$(pubkey $doctor_key)" "$(digest)")
gas[verifyDoctor]=$(send $authority_key "$doctors" "verifyDoctor(address)" "$doctor")
send $doctor2_key "$doctors" "registerDoctor(bytes,bytes32)" "$(pubkey $doctor2_key)" "$(digest)" >/dev/null
send $authority_key "$doctors" "verifyDoctor(address)" "$doctor2" >/dev/null
gas[suspendDoctor]=$(send $authority_key "$doctors" "suspendDoctor(address)" "$doctor2")
send $authority_key "$doctors" "verifyDoctor(address)" "$doctor2" >/dev/null

gas[registerPatient]=$(send $patient_key "$patients" "registerPatient(bytes32,bytes)" "$(digest)" "$(envelope)")

# registration by a doctor with the patient's EIP-712 consent (the patient pays nothing)
expiry=$(( $(now) + 365 * 86400 ))
deadline=$(( $(now) + 3600 ))
profile=$(digest); penv=$(envelope); denv=$(envelope)
consent=$("$cast" call --rpc-url "$rpc" "$patients" \
  "consentDigest(address,bytes32,bytes,bytes,uint40,uint40)(bytes32)" "$doctor2" "$profile" "$penv" "$denv" $expiry $deadline)
signature=$("$cast" wallet sign --no-hash --private-key $patient2_key "$consent")
gas[registerPatientFor]=$(send $doctor2_key "$patients" \
  "registerPatientFor(address,bytes32,bytes,bytes,uint40,uint40,bytes)" \
  "$patient2" "$profile" "$penv" "$denv" $expiry $deadline "$signature")

gas[requestAccess]=$(send $doctor_key "$doctors" "requestAccess(address)" "$patient")
gas[approve]=$(send $patient_key "$patients" "approve(address,uint40,bytes)" "$doctor" $expiry "$(envelope)")
gas[logAccess]=$(send $doctor_key "$doctors" "logAccess(address,bytes32)" "$patient" "$(digest)")
d1=$(digest)
gas[addRecord]=$(send $doctor_key "$patients" "addRecord(address,bytes32,bytes32)" "$patient" "$d1" "$(digest)")
d2=$(digest)
gas[updateRecord]=$(send $doctor_key "$patients" "updateRecord(address,uint32,bytes32,bytes32,bytes32)" \
  "$patient" 1 "$d1" "$d2" "$(digest)")
gas[attachFile]=$(send $doctor_key "$patients" "attachFile(address,uint32,bytes32,bytes32)" "$patient" 1 "$(digest)" "$(digest)")
d3=$(digest)
gas[addRecordPatient]=$(send $patient_key "$patients" "addRecord(address,bytes32,bytes32)" "$patient" "$d3" "$(digest)")
gas[updateRecordPatient]=$(send $patient_key "$patients" "updateRecord(address,uint32,bytes32,bytes32,bytes32)" \
  "$patient" 2 "$d3" "$(digest)" "$(digest)")
gas[attachFilePatient]=$(send $patient_key "$patients" "attachFile(address,uint32,bytes32,bytes32)" "$patient" 2 "$(digest)" "$(digest)")
gas[updateProfile]=$(send $patient_key "$patients" "updateProfile(bytes32)" "$(digest)")
gas[rotateKey]=$(send $patient_key "$patients" "rotateKey(bytes,address[],bytes[])" "$(envelope)" "[$doctor]" "[$(envelope)]")
gas[revoke]=$(send $patient_key "$patients" "revoke(address,bytes,address[],bytes[])" "$doctor" "$(envelope)" "[]" "[]")
gas[requestAgain]=$(send $doctor_key "$doctors" "requestAccess(address)" "$patient")
gas[denyViaPatients]=$(send $patient_key "$patients" "deny(address)" "$doctor")
send $doctor_key "$doctors" "requestAccess(address)" "$patient" >/dev/null
gas[deny]=$(send $patient_key "$doctors" "deny(address)" "$doctor")

journey=$(( gas[registerDoctor] + gas[verifyDoctor] + gas[registerPatient] + gas[requestAccess] + gas[approve] \
  + gas[addRecord] + gas[updateRecord] + gas[revoke] ))
hardfork=$("$cast" rpc --rpc-url "$rpc" anvil_nodeInfo | jq -r .hardFork)
runs=$(sed -n 's/^optimizer_runs = //p' "$root/contracts/foundry.toml")
evm=$(sed -n 's/^evm_version = "\(.*\)"/\1/p' "$root/contracts/foundry.toml")

failures=0
thousands() { sed -E ':a;s/([0-9])([0-9]{3})($|,)/\1,\2\3/;ta' <<<"$1"; }
row() { # name, call, target (or -)
  local g=${gas[$1]} verdict="-" target="-"
  if [ "$3" != "-" ]; then
    target=$(thousands "$3")
    if [ "$g" -le "$3" ]; then verdict="met"; else verdict="**missed**"; failures=$((failures + 1)); fi
  fi
  printf "| %s | %s | %s | %s | %s |\n" "$1" "$2" "$(thousands "$g")" "$target" "$verdict"
}
{
  echo "# Gas table"
  echo
  echo "Generated by \`scripts/gas-table.sh\`; do not edit by hand. Each figure is the \`gasUsed\` of one"
  echo "real transaction (21,000 base and calldata included) on a fresh anvil (hardfork: $hardfork),"
  echo "signed locally and sent with \`cast send\`; contracts built by forge with solc 0.8.28, optimizer on"
  echo "($runs runs, via IR), for the $evm EVM. Deployment of all three contracts (one transaction): $(thousands "$deploy_gas") gas."
  echo
  echo "| operation | transaction | gasUsed | target | |"
  echo "|---|---|---:|---:|---|"
  row registerDoctor "DoctorContract.registerDoctor(publicKey, profile)" 75000
  row verifyDoctor "DoctorContract.verifyDoctor(doctor), by the authority" 35000
  row suspendDoctor "DoctorContract.suspendDoctor(doctor), by the authority" -
  row registerPatient "PatientContract.registerPatient(profile, envelope), by the patient" 80000
  row registerPatientFor "PatientContract.registerPatientFor(...), by a doctor with the patient's EIP-712 consent" 120000
  row requestAccess "DoctorContract.requestAccess(patient), first request" 55000
  row requestAgain "DoctorContract.requestAccess(patient), after a revoke" -
  row approve "PatientContract.approve(doctor, expiry, envelope)" 50000
  row deny "DoctorContract.deny(doctor), by the patient (what the client sends)" 35000
  row denyViaPatients "PatientContract.deny(doctor): the same through PatientContract" -
  row revoke "PatientContract.revoke(doctor, envelope, [], []): key rotation, no other grantee" 50000
  row rotateKey "PatientContract.rotateKey(envelope, [doctor], [envelope])" -
  row addRecord "PatientContract.addRecord(patient, digest, meta), by a doctor" 75000
  row addRecordPatient "PatientContract.addRecord(patient, digest, meta), by the patient" 75000
  row updateRecord "PatientContract.updateRecord(patient, id, previous, digest, meta), by a doctor" 55000
  row updateRecordPatient "PatientContract.updateRecord(...), by the patient" 55000
  row attachFile "PatientContract.attachFile(patient, id, digest, meta), by a doctor" 55000
  row attachFilePatient "PatientContract.attachFile(...), by the patient" 55000
  row updateProfile "PatientContract.updateProfile(profile)" -
  row logAccess "DoctorContract.logAccess(patient, what)" 35000
  echo
  echo "Journey (register doctor, verify, register patient, request, approve, add record, update,"
  echo "revoke with key rotation): **$(thousands $journey) gas** (target under 475,000; the public peers"
  echo "measured 1.3 to 2.0 million for the same journey without verification, request, encryption"
  echo "envelopes, expiry or an audit chain)."
  echo
  echo "## Where a figure is above its target, and why"
  echo
  echo "Every write to a patient's history pays 21,000, its calldata, one access to AuditContract (2,600: a cold account) and"
  echo "the update of the patient's audit slot (5,000: cold, non-zero to non-zero) plus the Entry event"
  echo "(about 2,000). The fixed parts alone bound two writes from below:"
  echo
  echo "| write | unavoidable parts | floor |"
  echo "|---|---|---:|"
  echo "| requestAccess | 21,000 + 432 calldata + 2,100 doctor status + 22,100 new grant slot + 2,600 + 5,000 + 2,012 event | 55,244 |"
  echo "| logAccess | 21,000 + about 950 calldata + 2,100 doctor status + 2,100 grant + 2,600 + 5,000 + 2,012 event | about 35,760 |"
  echo
  echo "Both floors are above their targets before a single instruction of logic runs: with"
  echo "a separate AuditContract, a doctor's status and a per-pair grant, no implementation can meet"
  echo "them. Meeting them would take moving the audit chain into DoctorContract (saving the 2,600 of"
  echo "a second contract), which the design rules out: AuditContract alone keeps the chain and accepts"
  echo "entries only from the two contracts. Nor can the doctor's status share the grant's slot: a"
  echo "suspension must end all of a doctor's grants at once, without a loop over them. Fewer"
  echo "indexed topics would not help either: moving the subject from a topic to the data saves 375"
  echo "but costs 256 (32 more bytes of data). EIP-2930 access lists would save about 100 per cold"
  echo "account or slot, not enough either (and the table measures plain transactions)."
  echo
  echo "A patient denies a request by calling DoctorContract.deny directly: DoctorContract looks the"
  echo "grant up under the caller's own address, so only the patient can deny its own requests, and"
  echo "AuditContract accepts the Denied entry from either contract. That leaves out the 2,600 of a"
  echo "second cold contract and one call's set-up. PatientContract.deny stays, with the same effect."
  echo
  echo "Gas does not grow with the chain: \`contracts/test/Scale.t.sol\` measures every write on a"
  echo "deployment holding one patient, doctor, request and record and on one holding 500 of each,"
  echo "and requires the figures to agree within 1%."
} >"$out"
cat "$out"
echo "targets missed: $failures"
