// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/// What an audit entry records. The numbering is part of the hash chain: never reorder.
enum EntryKind {
    Registered, //     actor: patient or registering doctor; subject: 0 or expiry << 160 | doctor; data: profile
    ProfileUpdated, // actor: patient; data: profile digest
    Requested, //      actor: doctor; subject: doctor
    Approved, //       actor: patient; subject: doctor; data: expiry << 32 | epoch
    Denied, //         actor: patient; subject: doctor (from either contract)
    Revoked, //        actor: patient; subject: doctor; data: the new key epoch
    KeyRotated, //     actor: patient or a doctor with access; data: the new key epoch
    RecordAdded, //    actor: author; subject: recordId << 32 | 1; data: CID digest
    RecordUpdated, //  actor: author; subject: recordId << 32 | version; data: CID digest
    FileAttached, //   actor: author; subject: recordId << 32 | attachment index; data: CID digest
    Accessed, //       actor: doctor; subject: doctor; data: what the doctor opened
    Blocked, //        actor: patient; subject: doctor (no further requests)
    Unblocked //       actor: patient; subject: doctor
}

/// @title AuditContract
/// @notice A tamper-evident, per-patient log of everything that happens to a patient's identity,
/// grants, keys and records. Only PatientContract and DoctorContract may append, each only the
/// kinds it is responsible for, inside the transaction that performs the action.
/// @dev Per patient one storage slot: seq << 192 | head, where head is the first 24 bytes of
///   h_n = keccak256(abi.encode(bytes24 head_{n-1}, address patient, uint256 info, bytes32 subject, bytes32 data))
/// with head_0 = 0 and (info, subject, data) exactly the fields of the n-th `Entry` event:
///   info = uint160(actor) << 96 | uint40(timestamp) << 56 | uint8(kind) << 48 | uint48(seq)
/// A client that recomputes the chain over the entries a node returned, and finds the stored head
/// and sequence number (`chainOf`), knows it has seen every entry. The first entry of every chain
/// is a registration: no other kind is accepted for an unknown patient.
contract AuditContract {
    /// One entry. `info` packs actor, timestamp, kind and sequence number (see the contract doc).
    event Entry(address indexed patient, bytes32 indexed subject, uint256 info, bytes32 data);

    error NotAuthorized(address caller, EntryKind kind);
    error UnknownPatient(address patient);
    error AlreadyRegistered(address patient);
    error ChainFull(address patient);

    /// Kinds PatientContract may append (bit i set = EntryKind(i) allowed).
    uint256 private constant PATIENT_KINDS = (1 << uint256(EntryKind.Registered))
        | (1 << uint256(EntryKind.ProfileUpdated)) | (1 << uint256(EntryKind.Approved))
        | (1 << uint256(EntryKind.Denied)) | (1 << uint256(EntryKind.Revoked))
        | (1 << uint256(EntryKind.KeyRotated)) | (1 << uint256(EntryKind.RecordAdded))
        | (1 << uint256(EntryKind.RecordUpdated)) | (1 << uint256(EntryKind.FileAttached));
    /// Kinds DoctorContract may append (Denied: a patient may deny a request there directly).
    uint256 private constant DOCTOR_KINDS = (1 << uint256(EntryKind.Requested))
        | (1 << uint256(EntryKind.Denied)) | (1 << uint256(EntryKind.Accessed)) | (1 << uint256(EntryKind.Blocked))
        | (1 << uint256(EntryKind.Unblocked));
    bytes32 private constant ENTRY_TOPIC = keccak256("Entry(address,bytes32,uint256,bytes32)");

    /// The PatientContract of this deployment.
    address public immutable PATIENTS;
    /// The DoctorContract of this deployment.
    address public immutable DOCTORS;

    /// seq << 192 | head (the first 24 bytes of the last chain hash, as a number).
    mapping(address patient => uint256) private _chains;

    constructor(address patients, address doctors) {
        PATIENTS = patients;
        DOCTORS = doctors;
    }

    /// Appends one entry to `patient`'s chain and emits it. Callable by the two contracts only.
    function append(address patient, EntryKind kind, address actor, bytes32 subject, bytes32 data) external {
        uint256 allowed = msg.sender == PATIENTS ? PATIENT_KINDS : msg.sender == DOCTORS ? DOCTOR_KINDS : 0;
        if ((allowed >> uint256(kind)) & 1 == 0) revert NotAuthorized(msg.sender, kind);
        uint256 chain = _chains[patient];
        uint256 seq = chain >> 192;
        if (kind == EntryKind.Registered) {
            if (seq != 0) revert AlreadyRegistered(patient);
        } else if (seq == 0) {
            revert UnknownPatient(patient);
        }
        if (seq == type(uint48).max) revert ChainFull(patient);
        unchecked {
            ++seq;
        }
        uint256 info = (uint256(uint160(actor)) << 96) | (uint256(uint40(block.timestamp)) << 56)
            | (uint256(kind) << 48) | seq;
        uint256 head;
        bytes32 topic = ENTRY_TOPIC;
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, shl(64, chain)) // previous head as bytes24; shifts the seq bits out
            mstore(add(ptr, 0x20), patient)
            mstore(add(ptr, 0x40), info)
            mstore(add(ptr, 0x60), subject)
            mstore(add(ptr, 0x80), data)
            head := shr(64, keccak256(ptr, 0xa0))
            mstore(ptr, info)
            mstore(add(ptr, 0x20), data)
            log3(ptr, 0x40, topic, patient, subject)
        }
        _chains[patient] = (seq << 192) | head;
    }

    /// The number of entries in `patient`'s chain and its head (both 0 for an unknown patient).
    function chainOf(address patient) external view returns (uint64 seq, bytes24 head) {
        uint256 chain = _chains[patient];
        return (uint64(chain >> 192), bytes24(bytes32(chain << 64)));
    }
}
