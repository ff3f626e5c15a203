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
/// @dev Storage: one slot per patient (key epoch, record count, the epoch's sealing bound, the
/// suspension count it began under, the number of grantees, profile commitment) and one slot per
/// record (version, attachment count, commitment to the latest version's digest). Wrapped keys
/// travel in events.
///
/// Key epochs and what keeps them honest (docs/architecture.md, "Key epochs"):
/// - every write names the epoch its object was sealed under and is refused unless that is the
///   current epoch (StaleEpoch): nothing sealed before a revoke or rotation lands after it;
/// - an epoch may seal new objects only while all its doctor recipients hold access: until the
///   earliest of their expiries and while no doctor has been suspended since it began
///   (RotationRequired). Then the patient, or any doctor with access, rotates to a new key wrapped
///   to the patient and to the grantees that still hold access, without the patient online;
/// - a rotation lists every grantee (an O(1) count, in ascending order), wraps the new key to the
///   active ones only, and seals the previous epoch's key under the new one (recipient 0), so
///   whoever holds an epoch's key reads the history before it and nothing after.
contract PatientContract is ConsentDomain {
    using AuditCall for AuditContract;

    struct Patient {
        uint24 epoch; // current key epoch; 0 = not registered
        uint24 records; // number of records (ids are 1..records)
        uint40 sealUntil; // objects may be sealed under `epoch` before this time
        uint32 suspensions; // DoctorContract.suspensions() when `epoch` began
        uint16 grantees; // doctors with an Approved or Renewing grant
        bytes15 profile; // commitment to the encrypted profile document's CID digest
    }

    struct Record {
        uint32 version; // 0 = no such record
        uint32 attachments; // number of attached files (indices 1..attachments)
        bytes24 head; // the first 24 bytes of keccak256(latest version's CID digest)
    }

    /// A patient's data key of `epoch`, wrapped (ECIES) to `recipient`'s public key. With
    /// recipient 0 it is instead the key of epoch - 1 sealed (AES-GCM) under the key of `epoch`.
    event KeyEnvelope(address indexed patient, address indexed recipient, uint32 epoch, bytes envelope);
    /// A patient's secp256k1 public key (x || y), published at registration so that a doctor who
    /// rotates the patient's key can wrap it to the patient.
    event PatientKey(address indexed patient, bytes publicKey);
    /// A patient cancelled a registration consent before it was used.
    event ConsentCancelled(address indexed patient, bytes32 consent);
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
    error InvalidPublicKey();
    error InvalidExpiry(uint40 expiry);
    error ConsentExpired(uint40 deadline);
    error InvalidConsent(address signer);
    error ConsentWasCancelled(address patient);
    error UnknownRecord(address patient, uint32 recordId);
    error StaleVersion(address patient, uint32 recordId);
    error StaleEpoch(address patient, uint32 current);
    error RotationRequired(address patient, uint32 epoch);
    error GranteeCount(address patient, uint256 expected);
    error MissingEnvelope(address doctor);
    error InactiveRecipient(address doctor);
    error TooManyGrantees(address patient);
    error RotationNotRequired(address patient);
    error BatchSize(uint256 count);

    /// EIP-712 type of the consent a patient signs so that a verified doctor may register it and
    /// receive a grant until `expiry` (`bytes` members are hashed, as EIP-712 specifies).
    bytes32 public constant CONSENT_TYPEHASH = keccak256(
        "Consent(address doctor,bytes32 profile,bytes patientEnvelope,bytes doctorEnvelope,uint40 expiry,uint40 deadline)"
    );

    /// The most grantees (approved or renewing grants) a patient may hold: every rotation lists
    /// them all. An expired grantee counts until the patient revokes it.
    uint256 public constant MAX_GRANTEES = 256;

    /// The most records one addRecords call adds (its gas stays well under a block's limit).
    uint256 public constant MAX_BATCH = 256;

    AuditContract public immutable AUDIT;
    DoctorContract public immutable DOCTORS;

    mapping(address patient => Patient) private _patients;
    mapping(address patient => mapping(uint256 recordId => Record)) private _records;
    mapping(address patient => mapping(bytes32 consent => bool)) private _cancelled;

    constructor(AuditContract audit, DoctorContract doctors) {
        AUDIT = audit;
        DOCTORS = doctors;
    }

    // ---------------------------------------------------------------- registration

    /// Registers the caller. `publicKey` is its secp256k1 public key (x || y), `profile` the CID
    /// digest of its encrypted profile document and `envelope` its epoch-1 data key wrapped to itself.
    function registerPatient(bytes calldata publicKey, bytes32 profile, bytes calldata envelope) external {
        _register(msg.sender, msg.sender, publicKey, 0, profile, envelope, type(uint40).max);
    }

    /// A verified doctor registers `patient`, who signed `Consent` (EIP-712) and so needs no funds.
    /// The doctor receives a grant until `expiry` and the epoch-1 key wrapped to it.
    function registerPatientFor(
        address patient,
        bytes calldata publicKey,
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
        if (_cancelled[patient][digest]) revert ConsentWasCancelled(patient);
        _callDoctors(DoctorContract.grantAtRegistration.selector, patient, msg.sender, expiry, 0);
        emit KeyEnvelope(patient, msg.sender, 1, doctorEnvelope);
        _register(
            patient,
            msg.sender,
            publicKey,
            bytes32((uint256(expiry) << 160) | uint160(msg.sender)),
            profile,
            patientEnvelope,
            expiry
        );
        _patients[patient].grantees = 1;
    }

    /// The caller withdraws a registration consent it signed (`consent` is its consentDigest)
    /// before a doctor used it.
    function cancelConsent(bytes32 consent) external {
        _cancelled[msg.sender][consent] = true;
        emit ConsentCancelled(msg.sender, consent);
    }

    /// Publishes a new profile document digest, sealed under key `epoch`.
    function updateProfile(bytes32 profile, uint32 epoch) external {
        Patient storage p = _sealable(msg.sender, epoch);
        p.profile = bytes15(profile);
        AUDIT.log(msg.sender, EntryKind.ProfileUpdated, msg.sender, 0, profile);
    }

    // ---------------------------------------------------------------- access decisions

    /// Approves `doctor`'s pending request until `expiry`; `envelope` is the current epoch's data
    /// key wrapped to the doctor (it unseals every earlier epoch's key through the links). The
    /// epoch then seals new objects only until `expiry`, if that is earlier.
    function approve(address doctor, uint40 expiry, bytes calldata envelope) external {
        Patient storage p = _patients[msg.sender];
        Patient memory current = p;
        if (current.epoch == 0) revert UnknownPatient(msg.sender);
        if (expiry <= block.timestamp) revert InvalidExpiry(expiry);
        if (envelope.length == 0) revert EmptyEnvelope();
        uint256 added = _callDoctorsUint(DoctorContract.approveFor.selector, msg.sender, doctor, expiry, current.epoch);
        // A rotation lists every grantee in one call (DoctorContract.rotationCheck takes 256).
        if (current.grantees + added > MAX_GRANTEES) revert TooManyGrantees(msg.sender);
        p.grantees = current.grantees + uint16(added);
        if (expiry < current.sealUntil) p.sealUntil = expiry;
        emit KeyEnvelope(msg.sender, doctor, current.epoch, envelope);
        AUDIT.log(msg.sender, EntryKind.Approved, msg.sender, _subject(doctor), _approval(expiry, current.epoch));
    }

    /// Denies `doctor`'s pending request.
    function deny(address doctor) external {
        _callDoctors(DoctorContract.denyFor.selector, msg.sender, doctor, 0, 0);
        AUDIT.log(msg.sender, EntryKind.Denied, msg.sender, _subject(doctor), 0);
    }

    /// Revokes whatever grant `doctor` holds (approved, expired, renewing, pending: the doctor
    /// cannot make this fail) and moves to a new key epoch in the same transaction (arguments as
    /// for `rotateKey`; `recipients` no longer includes `doctor`). A blocked doctor stays blocked.
    function revoke(
        address doctor,
        uint32 epoch,
        bytes calldata envelope,
        bytes calldata link,
        address[] calldata recipients,
        bytes[] calldata envelopes
    ) external {
        Patient storage p = _patients[msg.sender];
        if (p.epoch == 0) revert UnknownPatient(msg.sender);
        uint256 removed = _callDoctorsUint(DoctorContract.revokeFor.selector, msg.sender, doctor, 0, 0);
        if (removed != 0) --p.grantees;
        uint32 next = _rotate(msg.sender, epoch, envelope, link, recipients, envelopes);
        AUDIT.log(msg.sender, EntryKind.Revoked, msg.sender, _subject(doctor), bytes32(uint256(next)));
    }

    /// Moves `patient` from key epoch `epoch` (which must be the current one: of two rotations
    /// racing, the second is refused instead of linking the wrong key) to the next. The caller is
    /// the patient, at any time, or a doctor with access, only when the current epoch may no
    /// longer seal (so that a doctor cannot rotate at will). `envelope` is the new key wrapped to
    /// the patient, `link` the current key sealed under the new one, and `recipients` every
    /// grantee in ascending order with `envelopes[i]` the new key wrapped to recipients[i] if it
    /// holds access now, else empty.
    function rotateKey(
        address patient,
        uint32 epoch,
        bytes calldata envelope,
        bytes calldata link,
        address[] calldata recipients,
        bytes[] calldata envelopes
    ) external {
        if (msg.sender != patient) {
            DOCTORS.checkWriter(patient, msg.sender);
            Patient memory current = _patients[patient];
            if (block.timestamp < current.sealUntil && DOCTORS.suspensions() == current.suspensions) {
                revert RotationNotRequired(patient);
            }
        }
        uint32 next = _rotate(patient, epoch, envelope, link, recipients, envelopes);
        AUDIT.log(patient, EntryKind.KeyRotated, msg.sender, 0, bytes32(uint256(next)));
    }

    // ---------------------------------------------------------------- records

    /// Adds a record to `patient` (the caller is the patient or a doctor with an active grant),
    /// sealed under key `epoch`.
    /// @return recordId the new record's id (1, 2, ... per patient)
    function addRecord(address patient, uint32 epoch, bytes32 digest, bytes32 meta) external returns (uint32 recordId) {
        Patient storage p = _sealable(patient, epoch);
        recordId = uint32(p.records) + 1;
        p.records = uint24(recordId);
        _newRecord(patient, recordId, digest, meta);
    }

    /// Adds `digests.length` records (1 to MAX_BATCH) to `patient` in one transaction, each exactly
    /// as addRecord would: the same writer and epoch checks (made once: they hold for the whole
    /// transaction), and per record its slot, its RecordVersion event and its own audit entry.
    /// `metas[i]` belongs to `digests[i]`; the records get consecutive ids in that order.
    /// @return firstId the first new record's id (the others follow it)
    function addRecords(address patient, uint32 epoch, bytes32[] calldata digests, bytes32[] calldata metas)
        external
        returns (uint32 firstId)
    {
        uint256 n = digests.length;
        if (n == 0 || n > MAX_BATCH) revert BatchSize(n);
        if (metas.length != n) revert LengthMismatch();
        Patient storage p = _sealable(patient, epoch);
        firstId = uint32(p.records) + 1;
        p.records = uint24(firstId + n - 1);
        // Bounded by MAX_BATCH.
        for (uint256 i = 0; i < n; ++i) {
            _newRecord(patient, uint32(firstId + i), digests[i], metas[i]);
        }
    }

    /// Adds a version to a record, sealed under key `epoch`. `previous` must be the latest
    /// version's digest (a writer that missed someone else's update gets StaleVersion instead of
    /// silently overwriting it).
    /// @return version the new version number
    function updateRecord(address patient, uint32 recordId, uint32 epoch, bytes32 previous, bytes32 digest, bytes32 meta)
        external
        returns (uint32 version)
    {
        _sealable(patient, epoch);
        Record storage r = _records[patient][recordId];
        Record memory current = r;
        if (current.version == 0) revert UnknownRecord(patient, recordId);
        if (current.head != bytes24(keccak256(abi.encode(previous)))) revert StaleVersion(patient, recordId);
        version = current.version + 1;
        r.version = version;
        r.head = bytes24(keccak256(abi.encode(digest)));
        emit RecordVersion(patient, recordId, version, msg.sender, digest, previous, meta);
        AUDIT.log(patient, EntryKind.RecordUpdated, msg.sender, _recordSubject(recordId, version), digest);
    }

    /// Attaches a file, sealed under key `epoch`, to a record.
    /// @return index the attachment's index within the record (1, 2, ...)
    function attachFile(address patient, uint32 recordId, uint32 epoch, bytes32 digest, bytes32 meta)
        external
        returns (uint32 index)
    {
        _sealable(patient, epoch);
        Record storage r = _records[patient][recordId];
        if (r.version == 0) revert UnknownRecord(patient, recordId);
        index = r.attachments + 1;
        r.attachments = index;
        emit FileAttached(patient, recordId, index, msg.sender, digest, meta);
        AUDIT.log(patient, EntryKind.FileAttached, msg.sender, _recordSubject(recordId, index), digest);
    }

    // ---------------------------------------------------------------- views

    function patientOf(address patient)
        external
        view
        returns (uint32 epoch, uint32 records, bytes15 profile, uint40 sealUntil, uint32 suspensions, uint16 grantees)
    {
        Patient storage p = _patients[patient];
        return (p.epoch, p.records, p.profile, p.sealUntil, p.suspensions, p.grantees);
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

    /// `subject` is 0 for a self-registration, else expiry << 160 | doctor (the consent grant);
    /// the first epoch seals until `sealUntil` (the consent grant's expiry, or for ever).
    function _register(
        address patient,
        address actor,
        bytes calldata publicKey,
        bytes32 subject,
        bytes32 profile,
        bytes calldata envelope,
        uint40 sealUntil
    ) private {
        if (_patients[patient].epoch != 0) revert AlreadyRegistered(patient);
        if (envelope.length == 0) revert EmptyEnvelope();
        if (publicKey.length != 64 || address(uint160(uint256(keccak256(publicKey)))) != patient) {
            revert InvalidPublicKey();
        }
        _patients[patient] = Patient({
            epoch: 1,
            records: 0,
            sealUntil: sealUntil,
            suspensions: uint32(DOCTORS.suspensions()),
            grantees: 0,
            profile: bytes15(profile)
        });
        emit PatientKey(patient, publicKey);
        emit KeyEnvelope(patient, patient, 1, envelope);
        AUDIT.log(patient, EntryKind.Registered, actor, subject, profile);
    }

    /// Calls a grant transition on DoctorContract (a plain CALL, re-raising its revert unchanged).
    function _callDoctors(bytes4 selector, address patient, address doctor, uint256 a, uint256 b) private {
        _callDoctorsUint(selector, patient, doctor, a, b);
    }

    /// _callDoctors for a transition that returns one word.
    function _callDoctorsUint(bytes4 selector, address patient, address doctor, uint256 a, uint256 b)
        private
        returns (uint256 result)
    {
        DoctorContract doctors = DOCTORS;
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, selector)
            mstore(add(ptr, 0x04), patient)
            mstore(add(ptr, 0x24), doctor)
            mstore(add(ptr, 0x44), a)
            mstore(add(ptr, 0x64), b)
            if iszero(call(gas(), doctors, 0, ptr, 0x84, 0, 0x20)) {
                returndatacopy(ptr, 0, returndatasize())
                revert(ptr, returndatasize())
            }
            if gt(returndatasize(), 0x1f) { result := mload(0) }
        }
    }

    /// Checks that the caller may write `patient`'s records and that `epoch` may seal now: it is
    /// the current epoch (else StaleEpoch), and its doctor recipients all still hold access (else
    /// RotationRequired). Returns the patient's slot.
    function _sealable(address patient, uint32 epoch) private view returns (Patient storage p) {
        DoctorContract doctors = DOCTORS;
        bytes4 selector = DoctorContract.writerState.selector;
        uint256 suspensions;
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, selector)
            mstore(add(ptr, 0x04), patient)
            mstore(add(ptr, 0x24), caller())
            if iszero(staticcall(gas(), doctors, ptr, 0x44, 0, 0x20)) {
                returndatacopy(ptr, 0, returndatasize())
                revert(ptr, returndatasize())
            }
            suspensions := mload(0)
        }
        p = _patients[patient];
        uint32 current = p.epoch;
        if (current == 0) revert UnknownPatient(patient);
        if (epoch != current) revert StaleEpoch(patient, current);
        if (block.timestamp >= p.sealUntil || suspensions != p.suspensions) revert RotationRequired(patient, current);
    }

    function _rotate(
        address patient,
        uint32 from,
        bytes calldata envelope,
        bytes calldata link,
        address[] calldata recipients,
        bytes[] calldata envelopes
    ) private returns (uint32 epoch) {
        Patient storage p = _patients[patient];
        Patient memory current = p;
        if (current.epoch == 0) revert UnknownPatient(patient);
        if (from != current.epoch) revert StaleEpoch(patient, current.epoch);
        if (envelope.length == 0 || link.length == 0) revert EmptyEnvelope();
        if (recipients.length != envelopes.length) revert LengthMismatch();
        if (recipients.length != current.grantees) revert GranteeCount(patient, current.grantees);
        (uint256 active, uint40 sealUntil, uint256 suspensions) = DOCTORS.rotationCheck(patient, recipients);
        epoch = current.epoch + 1;
        p.epoch = uint24(epoch);
        p.sealUntil = sealUntil;
        p.suspensions = uint32(suspensions);
        emit KeyEnvelope(patient, patient, epoch, envelope);
        emit KeyEnvelope(patient, address(0), epoch, link);
        // Bounded by the grantee count, which only the patient's approvals raise.
        for (uint256 i = 0; i < recipients.length; ++i) {
            bool holds = (active >> i) & 1 == 1;
            uint256 length = envelopes[i].length;
            if (holds && length == 0) revert MissingEnvelope(recipients[i]);
            if (!holds && length != 0) revert InactiveRecipient(recipients[i]);
            if (holds) emit KeyEnvelope(patient, recipients[i], epoch, envelopes[i]);
        }
    }

    /// Writes version 1 of record `recordId` (whose id the caller has already counted in the
    /// patient's slot), its RecordVersion event and its audit entry.
    function _newRecord(address patient, uint32 recordId, bytes32 digest, bytes32 meta) private {
        _records[patient][recordId] =
            Record({version: 1, attachments: 0, head: bytes24(keccak256(abi.encode(digest)))});
        emit RecordVersion(patient, recordId, 1, msg.sender, digest, 0, meta);
        AUDIT.log(patient, EntryKind.RecordAdded, msg.sender, _recordSubject(recordId, 1), digest);
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
