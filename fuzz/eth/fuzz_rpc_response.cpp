// Arbitrary bytes as a JSON-RPC answer: the response parser, the batch matcher and the typed
// decoders (receipt, log, block, transaction, fee history) must only ever throw Dossier's typed
// errors. Any other exception or a crash is a finding.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "eth/rpc_client.hpp"

using namespace dossier;
using namespace dossier::eth;

namespace {

void decode_everything(const json& result) {
    try { (void)decode_receipt(result); } catch (const DecodeError&) {}
    try { (void)decode_log(result); } catch (const DecodeError&) {}
    try { (void)decode_logs(result); } catch (const DecodeError&) {}
    try { (void)decode_block(result); } catch (const DecodeError&) {}
    try { (void)decode_transaction(result); } catch (const DecodeError&) {}
    try { (void)decode_fee_history(result); } catch (const DecodeError&) {}
    try { (void)decode_u64(result, "result"); } catch (const DecodeError&) {}
    try { (void)decode_bytes32(result, "result"); } catch (const DecodeError&) {}
    try { (void)decode_address(result, "result"); } catch (const DecodeError&) {}
}

void inspect_error(const RpcError& e) {
    (void)revert_data_of(e);
    (void)is_log_limit_error(e);
    if (auto data = revert_data_of(e)) (void)describe_revert(*data);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const unsigned mode = data[0] % 3;
    const std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
    try {
        if (mode == 0) {
            decode_everything(parse_response(body, 1));
        } else if (mode == 1) {
            const std::uint64_t ids[] = {1, 2, 3};
            for (const RpcResponse& r : parse_batch_response(body, ids)) {
                if (r.error) inspect_error(*r.error);
                else decode_everything(r.result);
            }
        } else {
            // The bytes as the result member of a well-formed envelope: straight to the decoders.
            const std::string wrapped = R"({"jsonrpc":"2.0","id":1,"result":)" + std::string(body) + "}";
            decode_everything(parse_response(wrapped, 1));
        }
    } catch (const RpcError& e) {
        inspect_error(e);
    } catch (const DecodeError&) {
    }
    // Revert data of any shape must be described without reading out of bounds.
    (void)describe_revert(ByteView(data, size), std::vector<std::string>{"Denied(address,uint256)"});
    return 0;
}
