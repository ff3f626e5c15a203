// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {Vm} from "./Vm.sol";
import {AuditContract} from "../src/AuditContract.sol";
import {AccessState, DoctorContract} from "../src/DoctorContract.sol";
import {PatientContract} from "../src/PatientContract.sol";
import {DossierDeployment} from "../src/DossierDeployment.sol";

/// Assertions, a fresh deployment and the actors' helpers shared by every suite.
abstract contract Base {
    Vm internal constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));
    bytes32 internal constant ENTRY_TOPIC = keccak256("Entry(address,bytes32,uint256,bytes32)");
    uint256 internal constant AUTHORITY_KEY = 0xA07;
    uint256 internal constant STRANGER_KEY = 0x5EE;
    uint40 internal constant T0 = 1_700_000_000;

    address internal authority;
    address internal stranger;
    DossierDeployment internal deployment;
    DoctorContract internal doctors;
    PatientContract internal patients;
    AuditContract internal audit;

    /// The chain each patient's audit entries should produce, recomputed from the emitted events.
    mapping(address patient => bytes24) internal modelHead;
    mapping(address patient => uint64) internal modelSeq;
    /// Every doctor newDoctor registered: the candidates a rotation's recipient list is built from.
    address[] internal knownDoctors;

    function setUp() public virtual {
        vm.warp(T0);
        authority = vm.addr(AUTHORITY_KEY);
        stranger = vm.addr(STRANGER_KEY);
        deployment = new DossierDeployment(authority);
        doctors = deployment.DOCTORS();
        patients = deployment.PATIENTS();
        audit = deployment.AUDIT();
        vm.recordLogs(); // every test can fold all audit entries since deployment into the model
    }

    // ---------------------------------------------------------------- assertions

    function fail(string memory message) internal pure {
        revert(message);
    }

    function assertTrue(bool condition, string memory message) internal pure {
        if (!condition) fail(message);
    }

    function assertEq(uint256 a, uint256 b, string memory message) internal pure {
        if (a != b) fail(string.concat(message, ": ", _str(a), " != ", _str(b)));
    }

    function assertEq(address a, address b, string memory message) internal pure {
        if (a != b) fail(message);
    }

    function assertEq(bytes32 a, bytes32 b, string memory message) internal pure {
        if (a != b) fail(message);
    }

    function _str(uint256 v) private pure returns (string memory) {
        if (v == 0) return "0";
        bytes memory b;
        while (v != 0) {
            b = abi.encodePacked(bytes1(uint8(48 + (v % 10))), b);
            v /= 10;
        }
        return string(b);
    }

    function bound(uint256 x, uint256 lo, uint256 hi) internal pure returns (uint256) {
        return lo + (x % (hi - lo + 1));
    }

    /// The patient's current key epoch, read from storage (a cheatcode: it does not consume a
    /// pending prank, unlike a call to patientOf).
    function epochAt(address patient) internal view returns (uint32) {
        bytes32 slot = keccak256(abi.encode(patient, uint256(0)));
        return uint32(uint24(uint256(vm.load(address(patients), slot))));
    }

    // ---------------------------------------------------------------- actors

    function publicKey(uint256 key) internal returns (bytes memory) {
        Vm.Wallet memory w = vm.createWallet(key);
        return abi.encodePacked(w.publicKeyX, w.publicKeyY);
    }

    /// A 93-byte stand-in for a wrapped key (the contracts only carry it).
    function envelope(uint256 salt) internal pure returns (bytes memory e) {
        e = abi.encodePacked(keccak256(abi.encode(salt, 1)), keccak256(abi.encode(salt, 2)), keccak256(abi.encode(salt, 3)));
        assembly {
            mstore(e, 93)
        }
    }

    function newDoctor(uint256 key, bool verified) internal returns (address doctor) {
        doctor = vm.addr(key);
        bytes memory pub = publicKey(key);
        vm.prank(doctor);
        doctors.registerDoctor(pub, keccak256(abi.encode("profile", key)));
        knownDoctors.push(doctor);
        if (verified) {
            vm.prank(authority);
            doctors.verifyDoctor(doctor);
        }
    }

    function newPatient(uint256 key) internal returns (address patient) {
        patient = vm.addr(key);
        bytes memory pub = publicKey(key);
        bytes memory e = envelope(key);
        vm.prank(patient);
        patients.registerPatient(pub, keccak256(abi.encode("patient", key)), e);
    }

    /// The patient's current key epoch.
    function epochOf(address patient) internal view returns (uint32 epoch) {
        (epoch,,,,,) = patients.patientOf(patient);
    }

    /// The patient's grantee count as PatientContract keeps it.
    function granteesOf(address patient) internal view returns (uint256 n) {
        (,,,,, n) = patients.patientOf(patient);
    }

    function request(address doctor, address patient) internal {
        vm.prank(doctor);
        doctors.requestAccess(patient);
    }

    function approveAccess(address patient, address doctor, uint40 expiry) internal {
        bytes memory e = envelope(uint160(doctor));
        vm.prank(patient);
        patients.approve(doctor, expiry, e);
    }

    /// doctor requests, patient approves for a year
    function grant(address patient, address doctor) internal {
        request(doctor, patient);
        approveAccess(patient, doctor, uint40(block.timestamp + 365 days));
    }

    /// What a correct rotation of `patient`'s key lists: every grantee (Approved or Renewing) among
    /// the known doctors but `leaving`, in ascending order, with an envelope exactly for those that
    /// hold access now.
    function recipientsOf(address patient, address leaving)
        internal
        view
        returns (address[] memory list, bytes[] memory envs)
    {
        uint256 n = 0;
        address[] memory all = new address[](knownDoctors.length);
        for (uint256 i = 0; i < knownDoctors.length; ++i) {
            address d = knownDoctors[i];
            (AccessState state,,) = doctors.grantOf(patient, d);
            if (d != leaving && (state == AccessState.Approved || state == AccessState.Renewing)) {
                all[n] = d;
                ++n;
            }
        }
        list = new address[](n);
        for (uint256 i = 0; i < n; ++i) {
            list[i] = all[i];
        }
        for (uint256 i = 1; i < n; ++i) {
            for (uint256 j = i; j > 0 && list[j - 1] > list[j]; --j) {
                (list[j - 1], list[j]) = (list[j], list[j - 1]);
            }
        }
        envs = new bytes[](n);
        for (uint256 i = 0; i < n; ++i) {
            if (doctors.hasAccess(patient, list[i])) envs[i] = envelope(uint160(list[i]) + 1000);
        }
    }

    /// `by` (the patient or a doctor with access) rotates `patient`'s key over its grantees.
    function rotate(address by, address patient) internal {
        (address[] memory list, bytes[] memory envs) = recipientsOf(patient, address(0));
        bytes memory own = envelope(8);
        bytes memory link = envelope(9);
        vm.prank(by);
        patients.rotateKey(patient, epochAt(patient), own, link, list, envs);
    }

    function revokeAccess(address patient, address doctor) internal {
        (address[] memory list, bytes[] memory envs) = recipientsOf(patient, doctor);
        bytes memory e = envelope(7);
        bytes memory link = envelope(9);
        vm.prank(patient);
        patients.revoke(doctor, epochAt(patient), e, link, list, envs);
    }

    /// `who` adds a record sealed under `patient`'s current epoch.
    function addRecordAs(address who, address patient, bytes32 digest) internal returns (uint32 id) {
        uint32 epoch = epochOf(patient);
        vm.prank(who);
        id = patients.addRecord(patient, epoch, digest, 0);
    }

    function consent(
        uint256 patientKey,
        address doctor,
        bytes32 profile,
        bytes memory patientEnvelope,
        bytes memory doctorEnvelope,
        uint40 expiry,
        uint40 deadline
    ) internal view returns (bytes memory) {
        bytes32 digest = patients.consentDigest(doctor, profile, patientEnvelope, doctorEnvelope, expiry, deadline);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(patientKey, digest);
        return abi.encodePacked(r, s, v);
    }

    // ---------------------------------------------------------------- audit model

    /// Folds the audit entries among `logs` into the model chain, checking their sequence numbers.
    function absorb(Vm.Log[] memory logs) internal {
        for (uint256 i = 0; i < logs.length; ++i) {
            Vm.Log memory entry = logs[i];
            if (entry.emitter != address(audit) || entry.topics.length != 3 || entry.topics[0] != ENTRY_TOPIC) continue;
            address patient = address(uint160(uint256(entry.topics[1])));
            (uint256 info, bytes32 data) = abi.decode(entry.data, (uint256, bytes32));
            uint64 seq = modelSeq[patient] + 1;
            assertEq(info & type(uint48).max, seq, "entry sequence number");
            modelSeq[patient] = seq;
            modelHead[patient] =
                bytes24(keccak256(abi.encode(modelHead[patient], patient, info, entry.topics[2], data)));
        }
    }

    function assertChain(address patient) internal view {
        (uint64 seq, bytes24 head) = audit.chainOf(patient);
        assertEq(seq, modelSeq[patient], "audit seq");
        assertTrue(head == modelHead[patient], "audit head equals the chain of the emitted entries");
    }
}
