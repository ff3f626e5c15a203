// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {Base} from "./Base.sol";
import {Vm} from "./Vm.sol";
import {DoctorContract} from "../src/DoctorContract.sol";
import {PatientContract} from "../src/PatientContract.sol";

/// Key epochs against a malicious doctor that calls the contracts directly (no client, no
/// logAccess): whatever it does, no object lands under a key that a doctor without access holds,
/// and every rotation hands the new key to exactly the grantees that hold access. Each test here
/// fails on the contracts before key epochs (writes took no epoch, nothing ended an epoch but a
/// revoke, rotations took any recipient list).
contract KeyEpochsTest is Base {
    uint256 internal constant DOC_KEY = 0xD0C;
    uint256 internal constant DOC2_KEY = 0xD0D;
    uint256 internal constant DOC3_KEY = 0xD0E;
    uint256 internal constant PAT_KEY = 0xFA7;
    address internal doctor;
    address internal doctor2;
    address internal doctor3;
    address internal patient;

    function setUp() public override {
        super.setUp();
        doctor = newDoctor(DOC_KEY, true);
        doctor2 = newDoctor(DOC2_KEY, true);
        doctor3 = newDoctor(DOC3_KEY, true);
        patient = newPatient(PAT_KEY);
    }

    function _pair(address a, address b) internal pure returns (address[] memory list) {
        list = new address[](2);
        (list[0], list[1]) = a < b ? (a, b) : (b, a);
    }

    function _envs(bytes memory a, bytes memory b) internal pure returns (bytes[] memory envs) {
        envs = new bytes[](2);
        (envs[0], envs[1]) = (a, b);
    }

    /// The envelopes of `epoch` among `logs`: how many, and whether one went to `who`.
    function _envelopesOf(Vm.Log[] memory logs, uint32 epoch, address who)
        internal
        view
        returns (uint256 count, bool toWho)
    {
        bytes32 topic = PatientContract.KeyEnvelope.selector;
        for (uint256 i = 0; i < logs.length; ++i) {
            Vm.Log memory entry = logs[i];
            if (entry.emitter != address(patients) || entry.topics[0] != topic) continue;
            (uint32 e,) = abi.decode(entry.data, (uint32, bytes));
            if (e != epoch) continue;
            ++count;
            if (address(uint160(uint256(entry.topics[2]))) == who) toWho = true;
        }
    }

    // ---------------------------------------------------------------- point 2: stale epochs

    /// A doctor sealed a record under epoch 1; the patient revokes another doctor (epoch 2) before
    /// the write is mined. The write, and every other kind of write under epoch 1, is refused: the
    /// revoked doctor holds epoch 1's key and must read nothing written after its revoke.
    function test_staleEpochWriteAfterRevoke_refused() public {
        grant(patient, doctor);
        grant(patient, doctor2);
        uint32 id = addRecordAs(doctor, patient, keccak256("v1"));
        revokeAccess(patient, doctor2);
        assertEq(epochOf(patient), 2, "rotated by the revoke");
        bytes memory stale = abi.encodeWithSelector(PatientContract.StaleEpoch.selector, patient, 2);
        vm.startPrank(doctor);
        vm.expectRevert(stale);
        patients.addRecord(patient, 1, keccak256("sealed before the revoke"), 0);
        vm.expectRevert(stale);
        patients.updateRecord(patient, id, 1, keccak256("v1"), keccak256("v2"), 0);
        vm.expectRevert(stale);
        patients.attachFile(patient, id, 1, keccak256("file"), 0);
        // nor a future epoch, which nobody holds a key for yet
        vm.expectRevert(stale);
        patients.addRecord(patient, 3, keccak256("future"), 0);
        vm.stopPrank();
        vm.prank(patient);
        vm.expectRevert(stale);
        patients.updateProfile(keccak256("profile"), 1);
        // the revoked doctor itself cannot write under any epoch
        vm.prank(doctor2);
        vm.expectRevert(abi.encodeWithSelector(DoctorContract.NoActiveGrant.selector, patient, doctor2));
        patients.addRecord(patient, 1, keccak256("revoked"), 0);
        // re-sealed under the current epoch it lands
        vm.prank(doctor);
        patients.updateRecord(patient, id, 2, keccak256("v1"), keccak256("v2"), 0);
        (uint32 v,,) = patients.recordOf(patient, id);
        assertEq(v, 2, "the re-sealed update landed");
    }

    /// A suspension elsewhere ends the current epoch, so that a doctor with access may rotate.
    uint256 private _suspendedKeys = 0x5A5000;

    function endEpochBySuspension() internal {
        address other = newDoctor(++_suspendedKeys, true);
        vm.prank(authority);
        doctors.suspendDoctor(other);
    }

    function test_doctorRotatesOnlyWhenTheEpochMayNoLongerSeal() public {
        grant(patient, doctor);
        address[] memory list = new address[](1);
        list[0] = doctor;
        bytes[] memory envs = new bytes[](1);
        envs[0] = envelope(1);
        uint32 epoch = epochAt(patient);
        vm.prank(doctor);
        vm.expectRevert(abi.encodeWithSelector(PatientContract.RotationNotRequired.selector, patient));
        patients.rotateKey(patient, epoch, envelope(3), envelope(4), list, envs);
        endEpochBySuspension();
        vm.prank(doctor);
        patients.rotateKey(patient, epoch, envelope(3), envelope(4), list, envs);
        assertEq(epochOf(patient), epoch + 1, "rotated once the epoch ended");
        // Two rotations from the same epoch: the second is refused instead of linking a wrong key.
        vm.prank(patient);
        vm.expectRevert(abi.encodeWithSelector(PatientContract.StaleEpoch.selector, patient, epoch + 1));
        patients.rotateKey(patient, epoch, envelope(3), envelope(4), list, envs);
    }

    function testFuzz_onlyTheCurrentEpochSeals(uint32 epoch, uint8 rotations) public {
        rotations = uint8(bound(rotations, 0, 5));
        grant(patient, doctor);
        for (uint256 i = 0; i < rotations; ++i) {
            if (i % 2 == 1) endEpochBySuspension();
            rotate(i % 2 == 0 ? patient : doctor, patient);
        }
        uint32 current = epochOf(patient);
        assertEq(current, 1 + uint32(rotations), "one epoch per rotation");
        vm.prank(doctor);
        if (epoch != current) vm.expectRevert(abi.encodeWithSelector(PatientContract.StaleEpoch.selector, patient, current));
        patients.addRecord(patient, epoch, keccak256("d"), 0);
    }

    // ---------------------------------------------------------------- point 1: expiry ends the epoch

    /// Doctor 2 was approved for 10 days, the doctor for a year. On day 10 the patient is away.
    /// Epoch 1 (which doctor 2 holds) may no longer seal: every write is refused until a rotation,
    /// which the doctor performs without the patient. Doctor 2 cannot be handed the new key, and
    /// no envelope of the new epoch reaches it.
    function test_writeAfterEarliestExpiry_refusedUntilADoctorRotates() public {
        grant(patient, doctor);
        request(doctor2, patient);
        uint40 short = uint40(block.timestamp + 10 days);
        approveAccess(patient, doctor2, short);
        (,,, uint40 sealUntil,,) = patients.patientOf(patient);
        assertEq(sealUntil, short, "epoch 1 seals until doctor 2's expiry");
        addRecordAs(doctor, patient, keccak256("day 0"));
        vm.warp(short);
        bytes memory ended = abi.encodeWithSelector(PatientContract.RotationRequired.selector, patient, 1);
        vm.prank(doctor);
        vm.expectRevert(ended);
        patients.addRecord(patient, 1, keccak256("day 10"), 0);
        vm.prank(doctor);
        vm.expectRevert(ended);
        patients.updateRecord(patient, 1, 1, keccak256("day 0"), keccak256("day 10"), 0);
        vm.prank(doctor);
        vm.expectRevert(ended);
        patients.attachFile(patient, 1, 1, keccak256("file"), 0);
        vm.prank(patient);
        vm.expectRevert(ended);
        patients.updateProfile(keccak256("profile"), 1);

        // the doctor rotates; giving the expired doctor 2 the new key is refused
        address[] memory both = _pair(doctor, doctor2);
        bytes[] memory envs = _envs(envelope(1), envelope(2));
        vm.prank(doctor);
        vm.expectRevert(abi.encodeWithSelector(PatientContract.InactiveRecipient.selector, doctor2));
        patients.rotateKey(patient, epochAt(patient), envelope(3), envelope(4), both, envs);
        // the expired doctor 2 itself cannot rotate (and so hand itself a key)
        vm.prank(doctor2);
        vm.expectRevert(abi.encodeWithSelector(DoctorContract.NoActiveGrant.selector, patient, doctor2));
        patients.rotateKey(patient, epochAt(patient), envelope(3), envelope(4), both, envs);

        envs[both[0] == doctor2 ? 0 : 1] = "";
        vm.getRecordedLogs();
        vm.prank(doctor);
        patients.rotateKey(patient, epochAt(patient), envelope(3), envelope(4), both, envs);
        (uint256 count, bool toDoctor2) = _envelopesOf(vm.getRecordedLogs(), 2, doctor2);
        assertTrue(!toDoctor2, "no envelope of epoch 2 for the expired doctor");
        assertEq(count, 3, "patient, link, and the doctor");
        (uint32 epoch,,, uint40 until,,) = patients.patientOf(patient);
        assertEq(epoch, 2, "rotated without the patient");
        (, uint40 doctorExpiry,) = doctors.grantOf(patient, doctor);
        assertEq(until, doctorExpiry, "epoch 2 seals until the remaining doctor's expiry");

        vm.prank(doctor);
        patients.addRecord(patient, 2, keccak256("day 10"), 0);
        vm.prank(doctor);
        vm.expectRevert(abi.encodeWithSelector(PatientContract.StaleEpoch.selector, patient, 2));
        patients.addRecord(patient, 1, keccak256("old key"), 0);
    }

    /// The epoch's sealing bound is the earliest expiry among its doctor recipients, whatever the
    /// order of approval, to the second.
    function testFuzz_sealUntilIsTheEarliestExpiry(uint40 a, uint40 b, uint40 later) public {
        a = uint40(bound(a, 1, 365 days));
        b = uint40(bound(b, 1, 365 days));
        later = uint40(bound(later, 0, 400 days));
        request(doctor, patient);
        approveAccess(patient, doctor, uint40(block.timestamp) + a);
        request(doctor2, patient);
        approveAccess(patient, doctor2, uint40(block.timestamp) + b);
        uint40 first = a < b ? a : b;
        vm.warp(block.timestamp + later);
        vm.prank(patient);
        if (later >= first) vm.expectRevert(abi.encodeWithSelector(PatientContract.RotationRequired.selector, patient, 1));
        patients.addRecord(patient, 1, keccak256("d"), 0);
    }

    // ---------------------------------------------------------------- point 1: suspension ends the epoch

    /// The authority suspends doctor 2, which holds the current key. Before the next write the key
    /// must rotate, and the rotation cannot hand doctor 2 the new key.
    function test_suspensionForcesRotation_suspendedDoctorGetsNoEnvelope() public {
        grant(patient, doctor);
        grant(patient, doctor2);
        addRecordAs(doctor, patient, keccak256("before"));
        vm.prank(authority);
        doctors.suspendDoctor(doctor2);
        bytes memory ended = abi.encodeWithSelector(PatientContract.RotationRequired.selector, patient, 1);
        vm.prank(doctor);
        vm.expectRevert(ended);
        patients.addRecord(patient, 1, keccak256("after"), 0);
        vm.prank(patient);
        vm.expectRevert(ended);
        patients.addRecord(patient, 1, keccak256("after"), 0);

        address[] memory both = _pair(doctor, doctor2);
        bytes[] memory envs = _envs(envelope(1), envelope(2));
        vm.prank(doctor);
        vm.expectRevert(abi.encodeWithSelector(PatientContract.InactiveRecipient.selector, doctor2));
        patients.rotateKey(patient, epochAt(patient), envelope(3), envelope(4), both, envs);
        vm.prank(patient);
        vm.expectRevert(abi.encodeWithSelector(PatientContract.InactiveRecipient.selector, doctor2));
        patients.revoke(doctor3, epochAt(patient), envelope(3), envelope(4), both, envs);
        // the suspended doctor, though still approved, cannot rotate
        vm.prank(doctor2);
        vm.expectRevert(abi.encodeWithSelector(DoctorContract.NotVerified.selector, doctor2));
        patients.rotateKey(patient, epochAt(patient), envelope(3), envelope(4), both, envs);

        envs[both[0] == doctor2 ? 0 : 1] = "";
        vm.getRecordedLogs();
        vm.prank(doctor);
        patients.rotateKey(patient, epochAt(patient), envelope(3), envelope(4), both, envs);
        (uint256 count, bool toDoctor2) = _envelopesOf(vm.getRecordedLogs(), 2, doctor2);
        assertTrue(!toDoctor2, "no envelope of epoch 2 for the suspended doctor");
        assertEq(count, 3, "patient, link, and the doctor");
        (,,,, uint32 suspensions,) = patients.patientOf(patient);
        assertEq(suspensions, doctors.suspensions(), "epoch 2 began after the suspension");
        addRecordAs(doctor, patient, keccak256("after"));
        // verified again, doctor 2 writes nothing under a key it lacks until the next rotation
        // gives it one: its grant is active, so that rotation must include it
        vm.prank(authority);
        doctors.verifyDoctor(doctor2);
        vm.prank(patient);
        vm.expectRevert(abi.encodeWithSelector(PatientContract.MissingEnvelope.selector, doctor2));
        patients.rotateKey(patient, epochAt(patient), envelope(3), envelope(4), both, envs);
    }

    /// A suspension anywhere ends every patient's epoch (the contract cannot tell, without a loop,
    /// whether the suspended doctor held it): an unrelated patient rotates before writing too.
    function test_anySuspensionEndsEveryEpoch() public {
        address other = newPatient(0xFA8);
        addRecordAs(other, other, keccak256("before"));
        vm.prank(authority);
        doctors.suspendDoctor(doctor3);
        vm.prank(other);
        vm.expectRevert(abi.encodeWithSelector(PatientContract.RotationRequired.selector, other, 1));
        patients.addRecord(other, 1, keccak256("after"), 0);
        rotate(other, other);
        addRecordAs(other, other, keccak256("after"));
    }

    // ---------------------------------------------------------------- point 3: recipients

    /// Grantees: doctor and doctor 2 (approved); doctor 3 only requested. Every wrong list is
    /// refused: a stranger, a pending requester, a duplicate, a missing grantee, a wrong order.
    function test_rotation_refusesStrangerPendingDuplicateMissingGrantee() public {
        grant(patient, doctor);
        grant(patient, doctor2);
        request(doctor3, patient);
        endEpochBySuspension();
        bytes memory own = envelope(3);
        bytes memory link = envelope(4);
        bytes[] memory envs = _envs(envelope(1), envelope(2));
        address[] memory list;

        list = _pair(doctor, stranger);
        vm.prank(doctor);
        vm.expectRevert(abi.encodeWithSelector(DoctorContract.NotAGrantee.selector, patient, stranger));
        patients.rotateKey(patient, epochAt(patient), own, link, list, envs);

        list = _pair(doctor, doctor3);
        vm.prank(doctor);
        vm.expectRevert(abi.encodeWithSelector(DoctorContract.NotAGrantee.selector, patient, doctor3));
        patients.rotateKey(patient, epochAt(patient), own, link, list, envs);

        list = new address[](2);
        (list[0], list[1]) = (doctor, doctor);
        vm.prank(doctor);
        vm.expectRevert(DoctorContract.UnsortedRecipients.selector);
        patients.rotateKey(patient, epochAt(patient), own, link, list, envs);

        list = _pair(doctor, doctor2);
        (list[0], list[1]) = (list[1], list[0]);
        vm.prank(doctor);
        vm.expectRevert(DoctorContract.UnsortedRecipients.selector);
        patients.rotateKey(patient, epochAt(patient), own, link, list, envs);

        _refuseWrongCounts();

        // the right grantees, but one holding access without the new key
        list = _pair(doctor, doctor2);
        envs[1] = "";
        vm.prank(doctor);
        vm.expectRevert(abi.encodeWithSelector(PatientContract.MissingEnvelope.selector, list[1]));
        patients.rotateKey(patient, epochAt(patient), own, link, list, envs);

        assertEq(epochOf(patient), 1, "nothing rotated");
        envs[1] = envelope(2);
        vm.prank(doctor);
        patients.rotateKey(patient, epochAt(patient), own, link, list, envs);
        assertEq(epochOf(patient), 2, "the right list rotates");
        absorb(vm.getRecordedLogs());
        assertChain(patient);
    }

    /// A grantee missing from the list, or one too many (the pending requester).
    function _refuseWrongCounts() internal {
        bytes memory own = envelope(3);
        bytes memory link = envelope(4);
        address[] memory list = new address[](1);
        list[0] = doctor2;
        bytes[] memory one = new bytes[](1);
        one[0] = envelope(2);
        vm.prank(doctor);
        vm.expectRevert(abi.encodeWithSelector(PatientContract.GranteeCount.selector, patient, 2));
        patients.rotateKey(patient, epochAt(patient), own, link, list, one);

        list = new address[](3);
        (list[0], list[1], list[2]) = (doctor, doctor2, doctor3);
        bytes[] memory three = new bytes[](3);
        vm.prank(doctor);
        vm.expectRevert(abi.encodeWithSelector(PatientContract.GranteeCount.selector, patient, 2));
        patients.rotateKey(patient, epochAt(patient), own, link, list, three);
    }

    /// Rotations (by the patient and by a doctor) append KeyRotated with the caller as actor and
    /// the new epoch as data; envelopes go to the patient, the link and the active grantees.
    function test_rotation_auditsTheActorAndEpoch() public {
        grant(patient, doctor);
        endEpochBySuspension();
        vm.getRecordedLogs();
        rotate(doctor, patient);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        (uint256 count, bool toDoctor) = _envelopesOf(logs, 2, doctor);
        assertEq(count, 3, "patient, link, doctor");
        assertTrue(toDoctor, "the active doctor receives the new key");
        Vm.Log memory entry = logs[logs.length - 1];
        assertEq(entry.emitter, address(audit), "audited");
        (uint256 info, bytes32 data) = abi.decode(entry.data, (uint256, bytes32));
        assertEq(address(uint160(info >> 96)), doctor, "actor: the rotating doctor");
        assertEq((info >> 48) & 0xff, 6, "kind KeyRotated");
        assertEq(data, bytes32(uint256(2)), "the new epoch");
    }

    // ---------------------------------------------------------------- point 4: revoke always works

    /// The grantee count follows every transition: request (+0), approve (+1), re-request after
    /// expiry (+0, Renewing), deny of a renewal (+0), revoke of a renewing grant (-1).
    function test_granteeCountFollowsTheTransitions() public {
        request(doctor, patient);
        assertEq(granteesOf(patient), 0, "a request is not a grantee");
        approveAccess(patient, doctor, uint40(block.timestamp + 10));
        assertEq(granteesOf(patient), 1, "approved");
        grant(patient, doctor2);
        assertEq(granteesOf(patient), 2, "two");
        vm.warp(block.timestamp + 10);
        request(doctor, patient);
        assertEq(granteesOf(patient), 2, "renewing is still a grantee");
        vm.prank(patient);
        doctors.deny(doctor);
        assertEq(granteesOf(patient), 2, "a denied renewal is still an (expired) grantee");
        revokeAccess(patient, doctor);
        assertEq(granteesOf(patient), 1, "revoked");
        revokeAccess(patient, doctor); // again: nothing to remove, still rotates
        assertEq(granteesOf(patient), 1, "not below the real count");
        assertEq(epochOf(patient), 3, "two revokes, two rotations");
    }
}
