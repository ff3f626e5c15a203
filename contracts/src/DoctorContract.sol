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
/// means (no access, a new request is allowed), so the slot is cleared instead. Approved and
/// Renewing grants are the patient's grantees (counted in PatientContract, listed in every key
/// rotation): Renewing is an approval that expired and whose doctor asks again.
enum AccessState {
    None,
    Requested,
    Approved,
    Blocked, //  the patient refuses further requests from this doctor
    Renewing //  approved earlier, expired, requested again
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
    error NoActiveGrant(address patient, address doctor);
    error OnlyPatientContract();
    error RenounceDisabled();
    error RequestsBlocked(address patient, address doctor);
    error NotBlocked(address patient, address doctor);
    error RevokeFirst(address patient, address doctor);
    error NotAGrantee(address patient, address doctor);
    error UnsortedRecipients();
    error TooManyRecipients();

    AuditContract public immutable AUDIT;
    /// The PatientContract of this deployment: the only caller of the grant transitions.
    address public immutable PATIENTS;

    mapping(address doctor => Doctor) private _doctors;
    mapping(address patient => mapping(address doctor => Grant)) private _grants;
    /// How many suspensions the authority has ever pronounced. A patient's key epoch remembers
    /// the count it began under; once it moves, the epoch may have a suspended recipient and no
    /// new object is sealed under it (PatientContract) until a rotation leaves suspended doctors out.
    uint32 public suspensions;

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
        ++suspensions;
    }

    /// The authority role cannot be abandoned: without it no doctor could ever be verified again.
    function renounceOwnership() public view override onlyOwner {
        revert RenounceDisabled();
    }

    // ---------------------------------------------------------------- access desk

    /// A verified doctor asks `patient` for access. Allowed when no grant exists (never requested,
    /// denied or revoked) or the previous approval has expired (it becomes Renewing: still the
    /// patient's grantee, without access); one pending request per pair; never while blocked.
    function requestAccess(address patient) external {
        _requireVerified(msg.sender);
        Grant storage grant = _grants[patient][msg.sender];
        AccessState state = grant.state;
        if (state == AccessState.Requested || state == AccessState.Renewing) revert RequestPending(patient, msg.sender);
        if (state == AccessState.Blocked) revert RequestsBlocked(patient, msg.sender);
        if (state == AccessState.Approved) {
            if (grant.expiry > block.timestamp) revert AlreadyApproved(patient, msg.sender);
            grant.state = AccessState.Renewing;
        } else {
            _grants[patient][msg.sender] = Grant({state: AccessState.Requested, expiry: 0, epoch: 0});
        }
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
        _deny(msg.sender, doctor);
        AUDIT.log(msg.sender, EntryKind.Denied, msg.sender, _subject(doctor), 0);
    }

    /// The patient (the caller) refuses every further request of `doctor` (from no grant or a
    /// pending request; an approval is revoked first): request-deny spam then costs it nothing.
    function blockRequests(address doctor) external {
        AccessState state = _grants[msg.sender][doctor].state;
        if (state == AccessState.Approved || state == AccessState.Renewing) revert RevokeFirst(msg.sender, doctor);
        _grants[msg.sender][doctor] = Grant({state: AccessState.Blocked, expiry: 0, epoch: 0});
        AUDIT.log(msg.sender, EntryKind.Blocked, msg.sender, _subject(doctor), 0);
    }

    /// The patient (the caller) lets a blocked doctor request again.
    function unblockRequests(address doctor) external {
        if (_grants[msg.sender][doctor].state != AccessState.Blocked) revert NotBlocked(msg.sender, doctor);
        delete _grants[msg.sender][doctor];
        AUDIT.log(msg.sender, EntryKind.Unblocked, msg.sender, _subject(doctor), 0);
    }

    // ---------------------------------------------------------------- transitions (PatientContract)

    /// Requested or Renewing -> Approved until `expiry`, for the patient's key `epoch`. A doctor
    /// suspended since its request is refused. Returns 1 when the doctor becomes a new grantee
    /// (from Requested), 0 when it already was one (Renewing).
    function approveFor(address patient, address doctor, uint40 expiry, uint32 epoch)
        external
        onlyPatients
        returns (uint256 added)
    {
        AccessState state = _grants[patient][doctor].state;
        if (state != AccessState.Requested && state != AccessState.Renewing) revert NoPendingRequest(patient, doctor);
        _requireVerified(doctor);
        _grants[patient][doctor] = Grant({state: AccessState.Approved, expiry: expiry, epoch: epoch});
        return state == AccessState.Requested ? 1 : 0;
    }

    /// Requested -> None or Renewing -> Approved (expired) (denied).
    function denyFor(address patient, address doctor) external onlyPatients {
        _deny(patient, doctor);
    }

    /// Any state -> None (revoked), except that a blocked doctor stays blocked: whatever the doctor
    /// did to its grant, the patient's revoke goes through. Returns 1 when the doctor was a
    /// grantee (Approved or Renewing), else 0.
    function revokeFor(address patient, address doctor) external onlyPatients returns (uint256 removed) {
        AccessState state = _grants[patient][doctor].state;
        if (state == AccessState.Blocked) return 0;
        delete _grants[patient][doctor];
        return state == AccessState.Approved || state == AccessState.Renewing ? 1 : 0;
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

    /// What PatientContract needs before a write: reverts unless `writer` is the patient or a
    /// doctor that checkWriter accepts, and returns the suspension count.
    function writerState(address patient, address writer) external view returns (uint256) {
        if (writer != patient) checkWriter(patient, writer);
        return suspensions;
    }

    /// What PatientContract needs for a key rotation of `patient`: `recipients` must be every
    /// grantee (Approved or Renewing), in strictly ascending order (so none twice; the caller
    /// checks the count). Bit i of `active` is set when recipients[i] may hold the new key
    /// (approved, unexpired, verified); `minExpiry` is the earliest of their expiries
    /// (type(uint40).max when none is active).
    function rotationCheck(address patient, address[] calldata recipients)
        external
        view
        returns (uint256 active, uint40 minExpiry, uint256 suspensionCount)
    {
        if (recipients.length > 256) revert TooManyRecipients();
        minExpiry = type(uint40).max;
        address previous = address(0);
        for (uint256 i = 0; i < recipients.length; ++i) {
            address doctor = recipients[i];
            if (doctor <= previous) revert UnsortedRecipients();
            previous = doctor;
            Grant storage grant = _grants[patient][doctor];
            AccessState state = grant.state;
            if (state != AccessState.Approved && state != AccessState.Renewing) revert NotAGrantee(patient, doctor);
            uint40 expiry = grant.expiry;
            if (
                state == AccessState.Approved && expiry > block.timestamp
                    && _doctors[doctor].status == DoctorStatus.Verified
            ) {
                active |= 1 << i;
                if (expiry < minExpiry) minExpiry = expiry;
            }
        }
        suspensionCount = suspensions;
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

    /// Requested -> None; Renewing -> Approved (the expired approval it renewed).
    function _deny(address patient, address doctor) private {
        Grant storage grant = _grants[patient][doctor];
        AccessState state = grant.state;
        if (state == AccessState.Requested) delete _grants[patient][doctor];
        else if (state == AccessState.Renewing) grant.state = AccessState.Approved;
        else revert NoPendingRequest(patient, doctor);
    }

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
