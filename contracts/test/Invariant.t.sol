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

    bool public grantChangedByOther;
    bool public writeWithoutActiveGrant;
    bool public seqDecreased;
    bool public versionDecreased;
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
        vm.prank(docs[0]);
        patients.registerPatientFor(vm.addr(key), keccak256("profile"), pe, de, expiry, expiry, sig);
        pats[P - 1] = vm.addr(key);
        model[pats[P - 1]][docs[0]] = Model(AccessState.Approved, expiry);
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
                bool request = actor == docs[j] && now_.state[j][i] == AccessState.Requested;
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

    function _write(address actor, address patient, bool ok) internal {
        if (ok && actor != patient && !modelActive(patient, actor)) writeWithoutActiveGrant = true;
    }

    // ---------------------------------------------------------------- actions

    function requestAccess(uint256 a, uint256 p) external {
        address actor = actors[a % actors.length];
        address patient = patientAt(p);
        Snapshot memory s = _snapshot();
        vm.prank(actor);
        try doctors.requestAccess(patient) {
            model[patient][actor] = Model(AccessState.Requested, 0);
        } catch {}
        _after(actor, s);
    }

    function approve(uint256 a, uint256 d, uint256 duration) external {
        address actor = actors[a % actors.length];
        address doctor = doctorAt(d);
        uint40 expiry = uint40(block.timestamp + bound(duration, 1, 60 days));
        bytes memory e = envelope(duration);
        Snapshot memory s = _snapshot();
        vm.prank(actor);
        try patients.approve(doctor, expiry, e) {
            model[actor][doctor] = Model(AccessState.Approved, expiry);
        } catch {}
        _after(actor, s);
    }

    function deny(uint256 a, uint256 d) external {
        address actor = actors[a % actors.length];
        address doctor = doctorAt(d);
        Snapshot memory s = _snapshot();
        vm.prank(actor);
        // Both ways in: through PatientContract, or directly at DoctorContract.
        if ((d / D) % 2 == 0) {
            try patients.deny(doctor) {
                delete model[actor][doctor];
            } catch {}
        } else {
            try doctors.deny(doctor) {
                delete model[actor][doctor];
            } catch {}
        }
        _after(actor, s);
    }

    function revoke(uint256 a, uint256 d) external {
        address actor = actors[a % actors.length];
        address doctor = doctorAt(d);
        bytes memory e = envelope(a);
        Snapshot memory s = _snapshot();
        vm.prank(actor);
        try patients.revoke(doctor, e, new address[](0), new bytes[](0)) {
            delete model[actor][doctor];
        } catch {}
        _after(actor, s);
    }

    function rotateKey(uint256 a) external {
        address actor = actors[a % actors.length];
        bytes memory e = envelope(a);
        Snapshot memory s = _snapshot();
        vm.prank(actor);
        try patients.rotateKey(e, new address[](0), new bytes[](0)) {} catch {}
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
        address actor = actors[a % actors.length];
        address patient = patientAt(p);
        Snapshot memory s = _snapshot();
        vm.prank(actor);
        try patients.addRecord(patient, digest, 0) returns (uint32 id) {
            recordCount[patient] = id;
            versionOf[patient][id] = 1;
            latest[patient][id] = digest;
            _write(actor, patient, true);
        } catch {}
        _after(actor, s);
    }

    function updateRecord(uint256 a, uint256 p, uint32 id, bytes32 digest) external {
        address actor = actors[a % actors.length];
        address patient = patientAt(p);
        uint32 count = recordCount[patient];
        id = count == 0 ? 1 : uint32(bound(id, 1, count));
        bytes32 previous = latest[patient][id];
        Snapshot memory s = _snapshot();
        vm.prank(actor);
        try patients.updateRecord(patient, id, previous, digest, 0) returns (uint32 v) {
            if (v != versionOf[patient][id] + 1) versionDecreased = true;
            versionOf[patient][id] = v;
            latest[patient][id] = digest;
            _write(actor, patient, true);
        } catch {}
        _after(actor, s);
    }

    function attachFile(uint256 a, uint256 p, uint32 id, bytes32 digest) external {
        address actor = actors[a % actors.length];
        address patient = patientAt(p);
        uint32 count = recordCount[patient];
        id = count == 0 ? 1 : uint32(bound(id, 1, count));
        Snapshot memory s = _snapshot();
        vm.prank(actor);
        try patients.attachFile(patient, id, digest, 0) {
            _write(actor, patient, true);
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
        bytes4[] memory selectors = new bytes4[](13);
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
