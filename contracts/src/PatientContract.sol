// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {AuditCall} from "./AuditCall.sol";
import {AuditContract, EntryKind} from "./AuditContract.sol";
import {ConsentDomain} from "./ConsentDomain.sol";
import {DoctorContract} from "./DoctorContract.sol";

/// @title PatientContract
/// @notice Patients, their key epochs, their access decisions and their records. Nothing personal
/// is stored: a patient is an address, a key epoch, record and attachment counters and digests.
/// @dev Storage: one slot per patient (epoch, record count, profile commitment) and one slot per
/// record (version, attachment count, commitment to the latest CID digest). Commitments are the
/// first 24 bytes of a digest; the full digests travel in events. Wrapped keys travel in events.
contract PatientContract is ConsentDomain {
    using AuditCall for AuditContract;

    struct Patient {
        uint32 epoch; // current key epoch; 0 = not registered
        uint32 records; // number of records (ids are 1..records)
        bytes24 profile; // commitment to the encrypted profile document's CID digest
    }

    struct Record {
        uint32 version; // 0 = no such record
        uint32 attachments; // number of attached files (indices 1..attachments)
        bytes24 head; // commitment to the latest version's CID digest
    }

    /// A patient's data key of `epoch`, wrapped (ECIES) to `recipient`'s public key.
    event KeyEnvelope(address indexed patient, address indexed recipient, uint32 epoch, bytes envelope);
    /// A record version: `digest` is the CID digest of the encrypted document, `previous` the
    /// digest of the version it replaces (0 for version 1), `meta` opaque client metadata.
    event RecordVersion(
        address indexed patient,
        uint256 indexed recordId,
        uint32 version,
        address author,
        bytes32 digest,
        bytes32 previous,
        bytes32 meta
    );
    /// A file attached to a record: `digest` is the CID digest of the encrypted file.
    event FileAttached(
        address indexed patient, uint256 indexed recordId, uint32 index, address author, bytes32 digest, bytes32 meta
    );

    error AlreadyRegistered(address patient);
    error UnknownPatient(address patient);
    error EmptyEnvelope();
    error LengthMismatch();
    error RevokedRecipient(address doctor);
    error InvalidExpiry(uint40 expiry);
    error ConsentExpired(uint40 deadline);
    error InvalidConsent(address signer);
    error UnknownRecord(address patient, uint32 recordId);
    error StaleVersion(address patient, uint32 recordId);

    /// EIP-712 type of the consent a patient signs so that a verified doctor may register it and
    /// receive a grant until `expiry` (`bytes` members are hashed, as EIP-712 specifies).
    bytes32 public constant CONSENT_TYPEHASH = keccak256(
        "Consent(address doctor,bytes32 profile,bytes patientEnvelope,bytes doctorEnvelope,uint40 expiry,uint40 deadline)"
    );

    AuditContract public immutable AUDIT;
    DoctorContract public immutable DOCTORS;

    mapping(address patient => Patient) private _patients;
    mapping(address patient => mapping(uint256 recordId => Record)) private _records;

    modifier registered(address patient) {
        if (_patients[patient].epoch == 0) revert UnknownPatient(patient);
        _;
    }

    constructor(AuditContract audit, DoctorContract doctors) {
        AUDIT = audit;
        DOCTORS = doctors;
    }

    // ---------------------------------------------------------------- registration

    /// Registers the caller. `profile` is the CID digest of its encrypted profile document and
    /// `envelope` its epoch-1 data key wrapped to itself.
    function registerPatient(bytes32 profile, bytes calldata envelope) external {
        _register(msg.sender, msg.sender, 0, profile, envelope);
    }

    /// A verified doctor registers `patient`, who signed `Consent` (EIP-712) and so needs no funds.
    /// The doctor receives a grant until `expiry` and the epoch-1 key wrapped to it.
    function registerPatientFor(
        address patient,
        bytes32 profile,
        bytes calldata patientEnvelope,
        bytes calldata doctorEnvelope,
        uint40 expiry,
        uint40 deadline,
        bytes calldata signature
    ) external {
        if (deadline < block.timestamp) revert ConsentExpired(deadline);
        if (expiry <= block.timestamp) revert InvalidExpiry(expiry);
        if (doctorEnvelope.length == 0) revert EmptyEnvelope();
        bytes32 digest = _hashTypedDataV4(
            keccak256(
                abi.encode(
                    CONSENT_TYPEHASH,
                    msg.sender,
                    profile,
                    keccak256(patientEnvelope),
                    keccak256(doctorEnvelope),
                    expiry,
                    deadline
                )
            )
        );
        address signer = ECDSA.recover(digest, signature);
        if (signer != patient) revert InvalidConsent(signer);
        _callDoctors(DoctorContract.grantAtRegistration.selector, patient, msg.sender, expiry, 0);
        emit KeyEnvelope(patient, msg.sender, 1, doctorEnvelope);
        _register(patient, msg.sender, bytes32((uint256(expiry) << 160) | uint160(msg.sender)), profile, patientEnvelope);
    }

    /// Publishes a new profile document digest.
    function updateProfile(bytes32 profile) external registered(msg.sender) {
        _patients[msg.sender].profile = bytes24(profile);
        AUDIT.log(msg.sender, EntryKind.ProfileUpdated, msg.sender, 0, profile);
    }

    // ---------------------------------------------------------------- access decisions

    /// Approves `doctor`'s pending request until `expiry`; `envelope` is the current epoch's data
    /// key wrapped to the doctor.
    function approve(address doctor, uint40 expiry, bytes calldata envelope) external {
        uint32 epoch = _patients[msg.sender].epoch;
        if (epoch == 0) revert UnknownPatient(msg.sender);
        if (expiry <= block.timestamp) revert InvalidExpiry(expiry);
        if (envelope.length == 0) revert EmptyEnvelope();
        _callDoctors(DoctorContract.approveFor.selector, msg.sender, doctor, expiry, epoch);
        emit KeyEnvelope(msg.sender, doctor, epoch, envelope);
        AUDIT.log(msg.sender, EntryKind.Approved, msg.sender, _subject(doctor), _approval(expiry, epoch));
    }

    /// Denies `doctor`'s pending request.
    function deny(address doctor) external {
        _callDoctors(DoctorContract.denyFor.selector, msg.sender, doctor, 0, 0);
        AUDIT.log(msg.sender, EntryKind.Denied, msg.sender, _subject(doctor), 0);
    }

    /// Revokes `doctor`'s grant and moves to a new key epoch in the same transaction: `envelope` is
    /// the new data key wrapped to the patient, `envelopes[i]` the same key wrapped to
    /// `recipients[i]` (the doctors who keep access).
    function revoke(
        address doctor,
        bytes calldata envelope,
        address[] calldata recipients,
        bytes[] calldata envelopes
    ) external {
        _callDoctors(DoctorContract.revokeFor.selector, msg.sender, doctor, 0, 0);
        uint32 epoch = _rotate(envelope, recipients, envelopes, doctor);
        AUDIT.log(msg.sender, EntryKind.Revoked, msg.sender, _subject(doctor), bytes32(uint256(epoch)));
    }

    /// Moves to a new key epoch without revoking anyone (arguments as for `revoke`).
    function rotateKey(bytes calldata envelope, address[] calldata recipients, bytes[] calldata envelopes)
        external
    {
        uint32 epoch = _rotate(envelope, recipients, envelopes, address(0));
        AUDIT.log(msg.sender, EntryKind.KeyRotated, msg.sender, 0, bytes32(uint256(epoch)));
    }

    // ---------------------------------------------------------------- records

    /// Adds a record to `patient` (the caller is the patient or a doctor with an active grant).
    /// @return recordId the new record's id (1, 2, ... per patient)
    function addRecord(address patient, bytes32 digest, bytes32 meta) external returns (uint32 recordId) {
        _requireWriter(patient);
        Patient storage p = _patients[patient];
        if (p.epoch == 0) revert UnknownPatient(patient);
        recordId = p.records + 1;
        p.records = recordId;
        _records[patient][recordId] = Record({version: 1, attachments: 0, head: bytes24(digest)});
        emit RecordVersion(patient, recordId, 1, msg.sender, digest, 0, meta);
        AUDIT.log(patient, EntryKind.RecordAdded, msg.sender, _recordSubject(recordId, 1), digest);
    }

    /// Adds a version to a record. `previous` must be the latest version's digest (a writer that
    /// missed someone else's update gets StaleVersion instead of silently overwriting it).
    /// @return version the new version number
    function updateRecord(address patient, uint32 recordId, bytes32 previous, bytes32 digest, bytes32 meta)
        external
        returns (uint32 version)
    {
        _requireWriter(patient);
        Record storage r = _records[patient][recordId];
        Record memory current = r;
        if (current.version == 0) revert UnknownRecord(patient, recordId);
        if (current.head != bytes24(previous)) revert StaleVersion(patient, recordId);
        version = current.version + 1;
        r.version = version;
        r.head = bytes24(digest);
        emit RecordVersion(patient, recordId, version, msg.sender, digest, previous, meta);
        AUDIT.log(patient, EntryKind.RecordUpdated, msg.sender, _recordSubject(recordId, version), digest);
    }

    /// Attaches a file to a record.
    /// @return index the attachment's index within the record (1, 2, ...)
    function attachFile(address patient, uint32 recordId, bytes32 digest, bytes32 meta)
        external
        returns (uint32 index)
    {
        _requireWriter(patient);
        Record storage r = _records[patient][recordId];
        if (r.version == 0) revert UnknownRecord(patient, recordId);
        index = r.attachments + 1;
        r.attachments = index;
        emit FileAttached(patient, recordId, index, msg.sender, digest, meta);
        AUDIT.log(patient, EntryKind.FileAttached, msg.sender, _recordSubject(recordId, index), digest);
    }

    // ---------------------------------------------------------------- views

    function patientOf(address patient) external view returns (uint32 epoch, uint32 records, bytes24 profile) {
        Patient storage p = _patients[patient];
        return (p.epoch, p.records, p.profile);
    }

    function recordOf(address patient, uint32 recordId)
        external
        view
        returns (uint32 version, uint32 attachments, bytes24 head)
    {
        Record storage r = _records[patient][recordId];
        return (r.version, r.attachments, r.head);
    }

    /// The EIP-712 digest a patient signs to consent to registration by `doctor`.
    function consentDigest(
        address doctor,
        bytes32 profile,
        bytes calldata patientEnvelope,
        bytes calldata doctorEnvelope,
        uint40 expiry,
        uint40 deadline
    ) external view returns (bytes32) {
        return _hashTypedDataV4(
            keccak256(
                abi.encode(
                    CONSENT_TYPEHASH,
                    doctor,
                    profile,
                    keccak256(patientEnvelope),
                    keccak256(doctorEnvelope),
                    expiry,
                    deadline
                )
            )
        );
    }

    // ---------------------------------------------------------------- internals

    /// `subject` is 0 for a self-registration, else expiry << 160 | doctor (the consent grant).
    function _register(address patient, address actor, bytes32 subject, bytes32 profile, bytes calldata envelope)
        private
    {
        if (_patients[patient].epoch != 0) revert AlreadyRegistered(patient);
        if (envelope.length == 0) revert EmptyEnvelope();
        _patients[patient] = Patient({epoch: 1, records: 0, profile: bytes24(profile)});
        emit KeyEnvelope(patient, patient, 1, envelope);
        AUDIT.log(patient, EntryKind.Registered, actor, subject, profile);
    }

    /// Calls a grant transition on DoctorContract (a plain CALL, re-raising its revert unchanged).
    function _callDoctors(bytes4 selector, address patient, address doctor, uint256 a, uint256 b) private {
        DoctorContract doctors = DOCTORS;
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, selector)
            mstore(add(ptr, 0x04), patient)
            mstore(add(ptr, 0x24), doctor)
            mstore(add(ptr, 0x44), a)
            mstore(add(ptr, 0x64), b)
            if iszero(call(gas(), doctors, 0, ptr, 0x84, 0, 0)) {
                returndatacopy(ptr, 0, returndatasize())
                revert(ptr, returndatasize())
            }
        }
    }

    function _rotate(
        bytes calldata envelope,
        address[] calldata recipients,
        bytes[] calldata envelopes,
        address revoked
    ) private returns (uint32 epoch) {
        Patient storage p = _patients[msg.sender];
        epoch = p.epoch;
        if (epoch == 0) revert UnknownPatient(msg.sender);
        if (envelope.length == 0) revert EmptyEnvelope();
        if (recipients.length != envelopes.length) revert LengthMismatch();
        ++epoch;
        p.epoch = epoch;
        emit KeyEnvelope(msg.sender, msg.sender, epoch, envelope);
        // Bounded by the caller's own calldata, never by stored state.
        for (uint256 i = 0; i < recipients.length; ++i) {
            if (recipients[i] == revoked) revert RevokedRecipient(revoked);
            if (envelopes[i].length == 0) revert EmptyEnvelope();
            emit KeyEnvelope(msg.sender, recipients[i], epoch, envelopes[i]);
        }
    }

    function _requireWriter(address patient) private view {
        if (msg.sender == patient) return;
        DoctorContract doctors = DOCTORS;
        bytes4 selector = DoctorContract.checkWriter.selector;
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, selector)
            mstore(add(ptr, 0x04), patient)
            mstore(add(ptr, 0x24), caller())
            if iszero(staticcall(gas(), doctors, ptr, 0x44, 0, 0)) {
                returndatacopy(ptr, 0, returndatasize())
                revert(ptr, returndatasize())
            }
        }
    }

    function _subject(address doctor) private pure returns (bytes32) {
        return bytes32(uint256(uint160(doctor)));
    }

    function _recordSubject(uint32 recordId, uint32 n) private pure returns (bytes32) {
        return bytes32((uint256(recordId) << 32) | n);
    }

    function _approval(uint40 expiry, uint32 epoch) private pure returns (bytes32) {
        return bytes32((uint256(expiry) << 32) | epoch);
    }
}
