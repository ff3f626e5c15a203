# Sourced by the CLI benchmarks: a fresh data directory with its embedded node, the authority
# (admin), a verified doctor (dr) and a patient it registered (p), each keystore unlocked with the
# light KDF so that the figures are not the password hashing's. Defines d (the CLI on that
# directory) and stops the node and removes the directory on exit.
# Inputs: cli (the CLI's path), dir (a fresh directory; data in "$dir/data"), BLOCK_TIME (seconds
# between blocks, 0: a block per transaction).
export DOSSIER_PASSWORD=bench DOSSIER_PATIENT_PASSWORD=bench DOSSIER_KDF=light
d() { "$cli" --data-dir "$dir/data" "$@"; }
bench_cleanup() { d node down >/dev/null 2>&1 || true; rm -rf "$dir"; }
trap bench_cleanup EXIT

d node up --block-time "${BLOCK_TIME:-0}" >/dev/null
d account import --embedded-authority --role admin --label admin >/dev/null
d account new --role doctor --label dr >/dev/null
echo '{"name": "Bench Doctor", "specialty": "General practice", "licence": "B-1"}' > "$dir/dr.json"
d doctor register --as dr --fields "$dir/dr.json" >/dev/null
d doctor verify dr --as admin >/dev/null
echo '{"name": "Bench Patient", "birthDate": "1970-01-01"}' > "$dir/p.json"
d patient add --as dr --label p --fields "$dir/p.json" >/dev/null
