// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {Base} from "./Base.sol";
import {AccessState, DoctorContract} from "../src/DoctorContract.sol";

/// Drives the three contracts with random actions by patients, doctors, the authority and a
/// stranger, keeping a model of what should be true, and records any action that broke it.
contract Handler is Base {
    uint256 internal constant P = 3; // patients
    uint256 internal constant D = 3; // doctors
    address[P] internal pats;
    address[D] internal docs;
    /// everyone who acts: the patients, the doctors, then the stranger
    address[] internal actors;

    struct Model {
        AccessState state;
        uint40 expiry;
    }

    mapping(address patient => mapping(address doctor => Model)) internal model;
    mapping(address doctor => bool) internal verified;
    mapping(address patient => uint32) public recordCount;
    mapping(address patient => mapping(uint32 id => uint32)) public versionOf;
    mapping(address patient => mapping(uint32 id => bytes32)) internal latest;
    mapping(address patient => uint64) internal seenSeq;
    /// Which doctors (bit j: docs[j]) were handed the patient's current epoch key, by approval or
    /// rotation: the doctors that can read whatever is sealed under it.
    mapping(address patient => uint256) internal holders;

    bool public grantChangedByOther;
    bool public writeWithoutActiveGrant;
    bool public seqDecreased;
    bool public versionDecreased;
    bool public writeReadableByInactive;
    bool public badRotationAccepted;
    uint256 public calls;

    constructor() {
        setUp();
        for (uint256 i = 0; i < D; ++i) {
            docs[i] = newDoctor(0x200 + i, true);
            verified[docs[i]] = true;
            actors.push(docs[i]);
        }
        for (uint256 i = 0; i < P - 1; ++i) {
            pats[i] = newPatient(0x100 + i);
        }
        // the last patient is registered by doctor 0 with a signed consent
        uint256 key = 0x100 + P - 1;
        uint40 expiry = uint40(block.timestamp + 30 days);
        bytes memory pe = envelope(1);
        bytes memory de = envelope(2);
        bytes memory sig = consent(key, docs[0], keccak256("profile"), pe, de, expiry, expiry);
        bytes memory pub = publicKey(key);
        vm.prank(docs[0]);
        patients.registerPatientFor(vm.addr(key), pub, keccak256("profile"), pe, de, expiry, expiry, sig);
        pats[P - 1] = vm.addr(key);
        model[pats[P - 1]][docs[0]] = Model(AccessState.Approved, expiry);
        holders[pats[P - 1]] = 1;
        for (uint256 i = 0; i < P; ++i) {
            actors.push(pats[i]);
        }
        actors.push(stranger);
        absorb(vm.getRecordedLogs());
    }

    // ---------------------------------------------------------------- model queries

    function patientAt(uint256 i) public view returns (address) {
        return pats[i % P];
    }

    function doctorAt(uint256 i) public view returns (address) {
        return docs[i % D];
    }

    function modelActive(address patient, address doctor) public view returns (bool) {
        Model storage m = model[patient][doctor];
        return verified[doctor] && m.state == AccessState.Approved && block.timestamp < m.expiry;
    }

    /// The model's count of the patient's grantees (Approved or Renewing grants).
    function modelGrantees(address patient) public view returns (uint256 n) {
        for (uint256 j = 0; j < D; ++j) {
            AccessState state = model[patient][docs[j]].state;
            if (state == AccessState.Approved || state == AccessState.Renewing) ++n;
        }
    }

    function granteesMatch() external view returns (bool) {
        for (uint256 i = 0; i < P; ++i) {
            (,,,,, uint16 n) = patients.patientOf(pats[i]);
            if (n != modelGrantees(pats[i])) return false;
        }
        return true;
    }

    function doctorsContract() external view returns (address) {
        return address(doctors);
    }

    function versionsMatch() external view returns (bool) {
        for (uint256 i = 0; i < P; ++i) {
            for (uint32 id = 1; id <= recordCount[pats[i]]; ++id) {
                (uint32 v,,) = patients.recordOf(pats[i], id);
                if (v != versionOf[pats[i]][id]) return false;
            }
        }
        return true;
    }

    function chainMatches(address patient) external view returns (bool) {
        (uint64 seq, bytes24 head) = audit.chainOf(patient);
        return seq == modelSeq[patient] && head == modelHead[patient];
    }

    // ---------------------------------------------------------------- bookkeeping around each action

    struct Snapshot {
        AccessState[P][D] state;
        uint40[P][D] expiry;
    }

    function _snapshot() internal view returns (Snapshot memory s) {
        for (uint256 i = 0; i < P; ++i) {
            for (uint256 j = 0; j < D; ++j) {
                (s.state[j][i], s.expiry[j][i],) = doctors.grantOf(pats[i], docs[j]);
            }
        }
    }

    /// After an action by `actor`: a grant may only have changed if `actor` is its patient, or
    /// its doctor moving it to Requested; audit chains and record versions only grow.
    function _after(address actor, Snapshot memory before) internal {
        ++calls;
        Snapshot memory now_ = _snapshot();
        for (uint256 i = 0; i < P; ++i) {
            for (uint256 j = 0; j < D; ++j) {
                if (before.state[j][i] == now_.state[j][i] && before.expiry[j][i] == now_.expiry[j][i]) continue;
                bool byPatient = actor == pats[i];
                bool request = actor == docs[j]
                    && (now_.state[j][i] == AccessState.Requested || now_.state[j][i] == AccessState.Renewing);
                if (!byPatient && !request) grantChangedByOther = true;
            }
        }
        absorb(vm.getRecordedLogs());
        for (uint256 i = 0; i < P; ++i) {
            (uint64 seq,) = audit.chainOf(pats[i]);
            if (seq < seenSeq[pats[i]]) seqDecreased = true;
            seenSeq[pats[i]] = seq;
            for (uint32 id = 1; id <= recordCount[pats[i]]; ++id) {
                (uint32 v,,) = patients.recordOf(pats[i], id);
                if (v < versionOf[pats[i]][id]) versionDecreased = true;
            }
        }
    }

    /// A write by `actor` succeeded: it must have had access, and every doctor holding the key the
    /// object was sealed under must still hold access (else that doctor reads what was written
    /// after its access ended).
    function _write(address actor, address patient) internal {
        if (actor != patient && !modelActive(patient, actor)) writeWithoutActiveGrant = true;
        uint256 h = holders[patient];
        for (uint256 j = 0; j < D; ++j) {
            if ((h >> j) & 1 == 1 && !modelActive(patient, docs[j])) writeReadableByInactive = true;
        }
    }

    /// Who attempts a write: the patient a third of the time, a doctor a third, anyone the rest
    /// (so that writes land often enough for the model to mean something).
    function _writer(uint256 a, address patient) internal view returns (address) {
        if (a % 3 == 0) return patient;
        if (a % 3 == 1) return doctorAt(a / 3);
        return actors[(a / 3) % actors.length];
    }

    function _indexOf(address doctor) internal view returns (uint256) {
        for (uint256 j = 0; j < D; ++j) {
            if (docs[j] == doctor) return j;
        }
        return type(uint256).max;
    }

    /// The epoch to name in a write: the current one, or (for `stale` odd) the one before.
    function _epoch(address patient, uint256 stale) internal view returns (uint32 e) {
        e = epochOf(patient);
        if (stale % 5 == 1 && e > 1) --e;
    }

    /// After a successful rotation of `patient`'s key with `envs`: the new key's holders.
    function _rotated(address patient, address[] memory list, bytes[] memory envs) internal {
        if (list.length != modelGrantees(patient)) badRotationAccepted = true; // a grantee left out
        uint256 h = 0;
        for (uint256 i = 0; i < list.length; ++i) {
            if (envs[i].length == 0) continue;
            if (!modelActive(patient, list[i])) badRotationAccepted = true;
            h |= 1 << _indexOf(list[i]);
        }
        for (uint256 i = 0; i < list.length; ++i) {
            if (envs[i].length == 0 && modelActive(patient, list[i])) badRotationAccepted = true;
        }
        holders[patient] = h;
    }

    /// Sometimes spoils a correct recipient list: an envelope for an inactive grantee, a missing
    /// one, or a dropped recipient. The contract must refuse each.
    function _spoil(address[] memory list, bytes[] memory envs, uint256 how)
        internal
        pure
        returns (address[] memory, bytes[] memory)
    {
        if (list.length == 0 || how % 4 != 3) return (list, envs);
        uint256 i = (how / 4) % list.length;
        uint256 mode = (how / 16) % 2;
        if (mode == 0) {
            envs[i] = envs[i].length == 0 ? bytes("x") : bytes("");
            return (list, envs);
        }
        address[] memory shorter = new address[](list.length - 1);
        bytes[] memory shorterEnvs = new bytes[](list.length - 1);
        for (uint256 k = 0; k < shorter.length; ++k) {
            shorter[k] = list[k < i ? k : k + 1];
            shorterEnvs[k] = envs[k < i ? k : k + 1];
        }
        return (shorter, shorterEnvs);
    }

    // ---------------------------------------------------------------- actions

    function requestAccess(uint256 a, uint256 p) external {
        address actor = a % 2 == 0 ? doctorAt(a / 2) : actors[(a / 2) % actors.length];
        address patient = patientAt(p);
        Snapshot memory s = _snapshot();
        vm.prank(actor);
        try doctors.requestAccess(patient) {
            Model storage m = model[patient][actor];
            if (m.state == AccessState.Approved) m.state = AccessState.Renewing;
            else model[patient][actor] = Model(AccessState.Requested, 0);
        } catch {}
        _after(actor, s);
    }

    function approve(uint256 a, uint256 d, uint256 duration) external {
        address actor = a % 2 == 0 ? patientAt(a / 2) : actors[(a / 2) % actors.length];
        address doctor = doctorAt(d);
        uint40 expiry = uint40(block.timestamp + bound(duration, 1, 60 days));
        bytes memory e = envelope(duration);
        Snapshot memory s = _snapshot();
        vm.prank(actor);
        try patients.approve(doctor, expiry, e) {
            if (!verified[doctor]) badRotationAccepted = true; // a key for a suspended doctor
            model[actor][doctor] = Model(AccessState.Approved, expiry);
            holders[actor] |= 1 << _indexOf(doctor);
        } catch {}
        _after(actor, s);
    }

    function deny(uint256 a, uint256 d) external {
        address actor = actors[a % actors.length];
        address doctor = doctorAt(d);
        Snapshot memory s = _snapshot();
        bool ok;
        vm.prank(actor);
        // Both ways in: through PatientContract, or directly at DoctorContract.
        if ((d / D) % 2 == 0) {
            try patients.deny(doctor) {
                ok = true;
            } catch {}
        } else {
            try doctors.deny(doctor) {
                ok = true;
            } catch {}
        }
        if (ok) {
            Model storage m = model[actor][doctor];
            if (m.state == AccessState.Renewing) m.state = AccessState.Approved;
            else delete model[actor][doctor];
        }
        _after(actor, s);
    }

    function revoke(uint256 a, uint256 d, uint256 how) external {
        address actor = actors[a % actors.length];
        address doctor = doctorAt(d);
        (address[] memory list, bytes[] memory envs) = recipientsOf(actor, doctor);
        (list, envs) = _spoil(list, envs, how);
        bytes memory e = envelope(a);
        Snapshot memory s = _snapshot();
        vm.prank(actor);
        try patients.revoke(doctor, epochAt(actor), e, e, list, envs) {
            if (model[actor][doctor].state != AccessState.Blocked) delete model[actor][doctor];
            _rotated(actor, list, envs);
        } catch {}
        _after(actor, s);
    }

    /// The patient (half the time, so that epochs ended by expiry or suspension move on and writes
    /// go on landing) or anyone else rotates a patient's key (a doctor with access may).
    function rotateKey(uint256 a, uint256 p, uint256 how) external {
        address patient = patientAt(p);
        address actor = a % 2 == 0 ? patient : actors[(a / 2) % actors.length];
        (address[] memory list, bytes[] memory envs) = recipientsOf(patient, address(0));
        (list, envs) = _spoil(list, envs, how);
        bytes memory e = envelope(a);
        Snapshot memory s = _snapshot();
        vm.prank(actor);
        try patients.rotateKey(patient, epochAt(patient), e, e, list, envs) {
            if (actor != patient && !modelActive(patient, actor)) writeWithoutActiveGrant = true;
            _rotated(patient, list, envs);
        } catch {}
        _after(actor, s);
    }

    /// Anyone blocks or unblocks a doctor's requests (only the patient's own grants move).
    function block_(uint256 a, uint256 d, bool unblock) external {
        address actor = actors[a % actors.length];
        address doctor = doctorAt(d);
        Snapshot memory s = _snapshot();
        vm.prank(actor);
        if (unblock) {
            try doctors.unblockRequests(doctor) {
                delete model[actor][doctor];
            } catch {}
        } else {
            try doctors.blockRequests(doctor) {
                model[actor][doctor] = Model(AccessState.Blocked, 0);
            } catch {}
        }
        _after(actor, s);
    }

    /// Anyone tries the grant transitions directly on DoctorContract: only PatientContract may.
    function forgeTransition(uint256 a, uint256 p, uint256 d, uint8 which) external {
        address actor = actors[a % actors.length];
        address patient = patientAt(p);
        address doctor = doctorAt(d);
        Snapshot memory s = _snapshot();
        vm.startPrank(actor);
        if (which % 4 == 0) {
            try doctors.approveFor(patient, doctor, type(uint40).max, 1) {} catch {}
        } else if (which % 4 == 1) {
            try doctors.denyFor(patient, doctor) {} catch {}
        } else if (which % 4 == 2) {
            try doctors.revokeFor(patient, doctor) {} catch {}
        } else {
            try doctors.grantAtRegistration(patient, doctor, type(uint40).max) {} catch {}
        }
        vm.stopPrank();
        _after(actor, s);
    }

    function setStatus(uint256 d, bool verify) external {
        address doctor = doctorAt(d);
        Snapshot memory s = _snapshot();
        vm.prank(authority);
        if (verify) {
            try doctors.verifyDoctor(doctor) {
                verified[doctor] = true;
            } catch {}
        } else {
            try doctors.suspendDoctor(doctor) {
                verified[doctor] = false;
            } catch {}
        }
        _after(authority, s);
    }

    function warp(uint256 dt) external {
        vm.warp(block.timestamp + bound(dt, 1, 20 days));
    }

    function addRecord(uint256 a, uint256 p, bytes32 digest) external {
        address patient = patientAt(p);
        address actor = _writer(a, patient);
        uint32 epoch = _epoch(patient, uint256(digest));
        Snapshot memory s = _snapshot();
        vm.prank(actor);
        try patients.addRecord(patient, epoch, digest, 0) returns (uint32 id) {
            recordCount[patient] = id;
            versionOf[patient][id] = 1;
            latest[patient][id] = digest;
            _write(actor, patient);
        } catch {}
        _after(actor, s);
    }

    function updateRecord(uint256 a, uint256 p, uint32 id, bytes32 digest) external {
        address patient = patientAt(p);
        address actor = _writer(a, patient);
        uint32 count = recordCount[patient];
        id = count == 0 ? 1 : uint32(bound(id, 1, count));
        bytes32 previous = latest[patient][id];
        uint32 epoch = _epoch(patient, uint256(digest));
        Snapshot memory s = _snapshot();
        vm.prank(actor);
        try patients.updateRecord(patient, id, epoch, previous, digest, 0) returns (uint32 v) {
            if (v != versionOf[patient][id] + 1) versionDecreased = true;
            versionOf[patient][id] = v;
            latest[patient][id] = digest;
            _write(actor, patient);
        } catch {}
        _after(actor, s);
    }

    function attachFile(uint256 a, uint256 p, uint32 id, bytes32 digest) external {
        address patient = patientAt(p);
        address actor = _writer(a, patient);
        uint32 count = recordCount[patient];
        id = count == 0 ? 1 : uint32(bound(id, 1, count));
        uint32 epoch = _epoch(patient, uint256(digest));
        Snapshot memory s = _snapshot();
        vm.prank(actor);
        try patients.attachFile(patient, id, epoch, digest, 0) {
            _write(actor, patient);
        } catch {}
        _after(actor, s);
    }

    function logAccess(uint256 a, uint256 p, bytes32 what) external {
        address actor = actors[a % actors.length];
        address patient = patientAt(p);
        Snapshot memory s = _snapshot();
        vm.prank(actor);
        try doctors.logAccess(patient, what) {
            if (!modelActive(patient, actor)) writeWithoutActiveGrant = true;
        } catch {}
        _after(actor, s);
    }
}

contract InvariantTest is Base {
    Handler internal handler;

    function setUp() public override {
        handler = new Handler();
    }

    struct FuzzSelector {
        address addr;
        bytes4[] selectors;
    }

    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    /// The handler's actions only (not its inherited setUp).
    function targetSelectors() public view returns (FuzzSelector[] memory targets) {
        bytes4[] memory selectors = new bytes4[](16);
        selectors[0] = Handler.requestAccess.selector;
        selectors[1] = Handler.approve.selector;
        selectors[2] = Handler.deny.selector;
        selectors[3] = Handler.revoke.selector;
        selectors[4] = Handler.rotateKey.selector;
        selectors[5] = Handler.forgeTransition.selector;
        selectors[6] = Handler.setStatus.selector;
        selectors[7] = Handler.warp.selector;
        selectors[8] = Handler.addRecord.selector;
        selectors[9] = Handler.updateRecord.selector;
        selectors[10] = Handler.attachFile.selector;
        selectors[11] = Handler.logAccess.selector;
        selectors[12] = Handler.requestAccess.selector;
        selectors[13] = Handler.block_.selector;
        // writes twice as often: each needs a record, a sealable epoch and a writer with access
        selectors[14] = Handler.addRecord.selector;
        selectors[15] = Handler.updateRecord.selector;
        targets = new FuzzSelector[](1);
        targets[0] = FuzzSelector(address(handler), selectors);
    }

    /// The campaign really exercised the contracts.
    function afterInvariant() public view {
        assertTrue(handler.calls() > 0, "no action ran");
    }

    /// Only the patient approves, denies or revokes its grants; a doctor can only ask.
    function invariant_onlyPatientChangesItsGrants() public view {
        assertTrue(!handler.grantChangedByOther(), "a grant changed by someone other than its patient");
    }

    /// A revoked, denied, expired (or never given) grant, or a suspended doctor, never writes;
    /// and the contracts' view of access is exactly the model's.
    function invariant_inactiveGrantNeverWrites() public view {
        assertTrue(!handler.writeWithoutActiveGrant(), "a write without an active grant succeeded");
        DoctorContract d = DoctorContract(handler.doctorsContract());
        for (uint256 i = 0; i < 3; ++i) {
            for (uint256 j = 0; j < 3; ++j) {
                address patient = handler.patientAt(i);
                address doctor = handler.doctorAt(j);
                assertTrue(d.hasAccess(patient, doctor) == handler.modelActive(patient, doctor), "access differs");
            }
        }
    }

    /// No object is ever sealed under a key that a doctor without access holds, and no rotation
    /// or approval hands a key to a doctor without access or withholds it from one with access.
    function invariant_keysOnlyReachActiveGrantees() public view {
        assertTrue(!handler.writeReadableByInactive(), "a write landed under a key an inactive doctor holds");
        assertTrue(!handler.badRotationAccepted(), "a rotation or approval handed out the wrong keys");
    }

    /// The contract's grantee count is the number of Approved and Renewing grants.
    function invariant_granteeCountIsTheGrants() public view {
        assertTrue(handler.granteesMatch(), "grantee count differs from the grants");
    }

    /// Audit sequence numbers only grow and each head is the hash chain of the emitted entries.
    function invariant_auditChainIsTheEmittedEntries() public view {
        assertTrue(!handler.seqDecreased(), "an audit sequence number decreased");
        for (uint256 i = 0; i < 3; ++i) {
            assertTrue(handler.chainMatches(handler.patientAt(i)), "audit head differs from the entries");
        }
    }

    /// Record versions only grow, by one per update.
    function invariant_recordVersionsGrow() public view {
        assertTrue(!handler.versionDecreased(), "a record version did not grow by one");
        assertTrue(handler.versionsMatch(), "stored versions differ from the model");
    }
}
