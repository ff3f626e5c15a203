// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {AuditContract, EntryKind} from "./AuditContract.sol";

/// How the two contracts append: one plain CALL with the arguments in scratch memory and no
/// return data (AuditContract is deployed with them, so the extcodesize check is moot); a revert
/// inside AuditContract is re-raised unchanged.
library AuditCall {
    bytes4 private constant APPEND = AuditContract.append.selector;

    function log(AuditContract audit, address patient, EntryKind kind, address actor, bytes32 subject, bytes32 data)
        internal
    {
        bytes4 selector = APPEND;
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, selector)
            mstore(add(ptr, 0x04), patient)
            mstore(add(ptr, 0x24), kind)
            mstore(add(ptr, 0x44), actor)
            mstore(add(ptr, 0x64), subject)
            mstore(add(ptr, 0x84), data)
            if iszero(call(gas(), audit, 0, ptr, 0xa4, 0, 0)) {
                returndatacopy(ptr, 0, returndatasize())
                revert(ptr, returndatasize())
            }
        }
    }
}
