// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {AuditCall} from "./AuditCall.sol";
import {AuditContract, EntryKind} from "./AuditContract.sol";

/// A doctor's standing with the credentialing authority.
enum DoctorStatus {
    None,
    Registered,
    Verified,
    Suspended
}

/// The stored state of a (patient, doctor) grant. Denied and Revoked are transitions, recorded in
/// the audit chain, that return the grant to None: in storage they would mean exactly what None
/// means (no access, a new request is allowed), so the slot is cleared instead.
enum AccessState {
    None,
    Requested,
    Approved
}

/// @title DoctorContract
/// @notice Doctors' identities and standing, and the access desk: doctors request access to a
/// patient and log the records they open; the patient decides through PatientContract, which is
/// the only contract allowed to approve, revoke or create a grant. A patient may also deny its own
/// pending request here directly (`deny`).
/// @dev Storage: one slot per doctor (status, since) and one slot per (patient, doctor) grant
/// (state, expiry, epoch). Public keys and profiles live in events only.
contract DoctorContract is Ownable2Step {
    using AuditCall for AuditContract;

    struct Doctor {
        DoctorStatus status;
        uint40 since;
    }

    struct Grant {
        AccessState state;
        uint40 expiry;
        uint32 epoch;
    }

    /// A doctor registered with its secp256k1 public key (64 bytes, x || y: the encryption key
    /// patients wrap their data keys to) and the digest of its public profile document.
    event DoctorRegistered(address indexed doctor, bytes publicKey, bytes32 profile);
    event DoctorProfileUpdated(address indexed doctor, bytes32 profile);
    event DoctorStatusChanged(address indexed doctor, DoctorStatus status);

    error InvalidPublicKey();
    error AlreadyRegistered(address doctor);
    error NotRegistered(address doctor);
    error InvalidStatus(address doctor, DoctorStatus status);
    error NotVerified(address doctor);
    error RequestPending(address patient, address doctor);
    error AlreadyApproved(address patient, address doctor);
    error NoPendingRequest(address patient, address doctor);
    error NotApproved(address patient, address doctor);
    error NoActiveGrant(address patient, address doctor);
    error OnlyPatientContract();
    error RenounceDisabled();

    AuditContract public immutable AUDIT;
    /// The PatientContract of this deployment: the only caller of the grant transitions.
    address public immutable PATIENTS;

    mapping(address doctor => Doctor) private _doctors;
    mapping(address patient => mapping(address doctor => Grant)) private _grants;

    modifier onlyPatients() {
        if (msg.sender != PATIENTS) revert OnlyPatientContract();
        _;
    }

    constructor(AuditContract audit, address patients, address authority) Ownable(authority) {
        AUDIT = audit;
        PATIENTS = patients;
    }

    // ---------------------------------------------------------------- doctors

    /// Registers the caller as a doctor. `publicKey` must be the caller's uncompressed secp256k1
    /// public key without the 0x04 prefix (its keccak-256 hash ends with the caller's address).
    function registerDoctor(bytes calldata publicKey, bytes32 profile) external {
        if (publicKey.length != 64 || address(uint160(uint256(keccak256(publicKey)))) != msg.sender) {
            revert InvalidPublicKey();
        }
        if (_doctors[msg.sender].status != DoctorStatus.None) revert AlreadyRegistered(msg.sender);
        _doctors[msg.sender] = Doctor({status: DoctorStatus.Registered, since: uint40(block.timestamp)});
        emit DoctorRegistered(msg.sender, publicKey, profile);
    }

    /// Publishes a new profile digest for the caller (any registered doctor, even suspended).
    function updateProfile(bytes32 profile) external {
        if (_doctors[msg.sender].status == DoctorStatus.None) revert NotRegistered(msg.sender);
        emit DoctorProfileUpdated(msg.sender, profile);
    }

    /// The authority verifies a registered or suspended doctor.
    function verifyDoctor(address doctor) external onlyOwner {
        DoctorStatus status = _doctors[doctor].status;
        if (status != DoctorStatus.Registered && status != DoctorStatus.Suspended) {
            revert InvalidStatus(doctor, status);
        }
        _setStatus(doctor, DoctorStatus.Verified);
    }

    /// The authority suspends a registered or verified doctor: it can no longer request access,
    /// log access or write records until verified again. Its grants stay as the patients left them.
    function suspendDoctor(address doctor) external onlyOwner {
        DoctorStatus status = _doctors[doctor].status;
        if (status != DoctorStatus.Registered && status != DoctorStatus.Verified) {
            revert InvalidStatus(doctor, status);
        }
        _setStatus(doctor, DoctorStatus.Suspended);
    }

    /// The authority role cannot be abandoned: without it no doctor could ever be verified again.
    function renounceOwnership() public view override onlyOwner {
        revert RenounceDisabled();
    }

    // ---------------------------------------------------------------- access desk

    /// A verified doctor asks `patient` for access. Allowed when no grant exists (never requested,
    /// denied or revoked) or the previous approval has expired; one pending request per pair.
    function requestAccess(address patient) external {
        _requireVerified(msg.sender);
        Grant storage grant = _grants[patient][msg.sender];
        AccessState state = grant.state;
        if (state == AccessState.Requested) revert RequestPending(patient, msg.sender);
        if (state == AccessState.Approved && grant.expiry > block.timestamp) {
            revert AlreadyApproved(patient, msg.sender);
        }
        _grants[patient][msg.sender] = Grant({state: AccessState.Requested, expiry: 0, epoch: 0});
        AUDIT.log(patient, EntryKind.Requested, msg.sender, _subject(msg.sender), 0);
    }

    /// A verified doctor with an active grant records that it opened `what` of `patient`'s data
    /// (a record id and version, or a file digest: the client decides, the chain only keeps it).
    function logAccess(address patient, bytes32 what) external {
        checkWriter(patient, msg.sender);
        AUDIT.log(patient, EntryKind.Accessed, msg.sender, _subject(msg.sender), what);
    }

    /// The patient (the caller) denies `doctor`'s pending request: Requested -> None. The same
    /// transition and audit entry as PatientContract.deny, one contract call cheaper. The grant is
    /// looked up under msg.sender, so only the patient can deny its own requests; a pending
    /// request implies a registered patient (its Requested entry needed one).
    function deny(address doctor) external {
        if (_grants[msg.sender][doctor].state != AccessState.Requested) revert NoPendingRequest(msg.sender, doctor);
        delete _grants[msg.sender][doctor];
        AUDIT.log(msg.sender, EntryKind.Denied, msg.sender, _subject(doctor), 0);
    }

    // ---------------------------------------------------------------- transitions (PatientContract)

    /// Requested -> Approved until `expiry`, for the patient's key `epoch`.
    function approveFor(address patient, address doctor, uint40 expiry, uint32 epoch) external onlyPatients {
        if (_grants[patient][doctor].state != AccessState.Requested) revert NoPendingRequest(patient, doctor);
        _grants[patient][doctor] = Grant({state: AccessState.Approved, expiry: expiry, epoch: epoch});
    }

    /// Requested -> None (denied).
    function denyFor(address patient, address doctor) external onlyPatients {
        if (_grants[patient][doctor].state != AccessState.Requested) revert NoPendingRequest(patient, doctor);
        delete _grants[patient][doctor];
    }

    /// Approved (active or expired) -> None (revoked).
    function revokeFor(address patient, address doctor) external onlyPatients {
        if (_grants[patient][doctor].state != AccessState.Approved) revert NotApproved(patient, doctor);
        delete _grants[patient][doctor];
    }

    /// None -> Approved for a just-registered patient, on the patient's signed consent (checked by
    /// PatientContract); the registering doctor must be verified.
    function grantAtRegistration(address patient, address doctor, uint40 expiry) external onlyPatients {
        _requireVerified(doctor);
        _grants[patient][doctor] = Grant({state: AccessState.Approved, expiry: expiry, epoch: 1});
    }

    // ---------------------------------------------------------------- views

    /// Reverts unless `doctor` is verified and holds an approved, unexpired grant from `patient`.
    function checkWriter(address patient, address doctor) public view {
        _requireVerified(doctor);
        Grant storage grant = _grants[patient][doctor];
        if (grant.state != AccessState.Approved || grant.expiry <= block.timestamp) {
            revert NoActiveGrant(patient, doctor);
        }
    }

    /// True when `doctor` may write `patient`'s records and log access now.
    function hasAccess(address patient, address doctor) external view returns (bool) {
        Grant storage grant = _grants[patient][doctor];
        return _doctors[doctor].status == DoctorStatus.Verified && grant.state == AccessState.Approved
            && grant.expiry > block.timestamp;
    }

    function doctorOf(address doctor) external view returns (DoctorStatus status, uint40 since) {
        Doctor storage d = _doctors[doctor];
        return (d.status, d.since);
    }

    function grantOf(address patient, address doctor)
        external
        view
        returns (AccessState state, uint40 expiry, uint32 epoch)
    {
        Grant storage grant = _grants[patient][doctor];
        return (grant.state, grant.expiry, grant.epoch);
    }

    // ---------------------------------------------------------------- internals

    function _setStatus(address doctor, DoctorStatus status) private {
        _doctors[doctor] = Doctor({status: status, since: uint40(block.timestamp)});
        emit DoctorStatusChanged(doctor, status);
    }

    function _requireVerified(address doctor) private view {
        if (_doctors[doctor].status != DoctorStatus.Verified) revert NotVerified(doctor);
    }

    function _subject(address doctor) private pure returns (bytes32) {
        return bytes32(uint256(uint160(doctor)));
    }
}
