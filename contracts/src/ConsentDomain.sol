// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IERC5267} from "@openzeppelin/contracts/interfaces/IERC5267.sol";

/// @title ConsentDomain
/// @notice The EIP-712 domain ("Dossier", version "1", this chain, this contract) under which a
/// patient signs its consent, published through ERC-5267 `eip712Domain()`.
/// @dev Takes the place of OpenZeppelin's EIP712, which (from 5.x, through MessageHashUtils,
/// Strings and Bytes) pulls in inline `mcopy`: with it the contracts would compile for cancun
/// only. This holds the same domain fields and hashing, the separator cached for the deployment's
/// chain and address and recomputed after a fork changes the chain id, and compiles for shanghai.
abstract contract ConsentDomain is IERC5267 {
    bytes32 private constant _DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    bytes32 private constant _HASHED_NAME = keccak256("Dossier");
    bytes32 private constant _HASHED_VERSION = keccak256("1");

    bytes32 private immutable _CACHED_DOMAIN_SEPARATOR;
    uint256 private immutable _CACHED_CHAIN_ID;
    address private immutable _CACHED_THIS;

    constructor() {
        _CACHED_CHAIN_ID = block.chainid;
        _CACHED_THIS = address(this);
        _CACHED_DOMAIN_SEPARATOR = _buildDomainSeparator();
    }

    /// @inheritdoc IERC5267
    function eip712Domain()
        external
        view
        returns (
            bytes1 fields,
            string memory name,
            string memory version,
            uint256 chainId,
            address verifyingContract,
            bytes32 salt,
            uint256[] memory extensions
        )
    {
        // 0x0f: name, version, chainId and verifyingContract are set; no salt, no extensions.
        return (hex"0f", "Dossier", "1", block.chainid, address(this), bytes32(0), new uint256[](0));
    }

    /// The digest a signer signs for `structHash` in this domain (EIP-712 `\x19\x01` encoding).
    function _hashTypedDataV4(bytes32 structHash) internal view returns (bytes32) {
        return keccak256(abi.encodePacked(hex"1901", _domainSeparatorV4(), structHash));
    }

    function _domainSeparatorV4() internal view returns (bytes32) {
        if (address(this) == _CACHED_THIS && block.chainid == _CACHED_CHAIN_ID) return _CACHED_DOMAIN_SEPARATOR;
        return _buildDomainSeparator();
    }

    function _buildDomainSeparator() private view returns (bytes32) {
        return keccak256(abi.encode(_DOMAIN_TYPEHASH, _HASHED_NAME, _HASHED_VERSION, block.chainid, address(this)));
    }
}
