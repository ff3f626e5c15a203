// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {Base} from "./Base.sol";
import {Vm} from "./Vm.sol";
import {DoctorContract} from "../src/DoctorContract.sol";
import {PatientContract} from "../src/PatientContract.sol";

/// PatientContract.addRecords: a batch is exactly N addRecord calls (state, events, audit chain),
/// under the same writer and epoch checks, bounded in size.
contract AddRecordsTest is Base {
    uint256 internal constant DOC_KEY = 0xD0C;
    uint256 internal constant DOC2_KEY = 0xD0D;
    uint256 internal constant PAT_KEY = 0xFA7;
    uint256 internal constant PAT2_KEY = 0xFA8;
    address internal doctor;
    address internal doctor2;
    address internal patient;
    address internal patient2;

    function setUp() public override {
        super.setUp();
        doctor = newDoctor(DOC_KEY, true);
        doctor2 = newDoctor(DOC2_KEY, true);
        patient = newPatient(PAT_KEY);
        patient2 = newPatient(PAT2_KEY);
        grant(patient, doctor);
    }

    function _digests(uint256 n, bytes32 seed) internal pure returns (bytes32[] memory d, bytes32[] memory m) {
        d = new bytes32[](n);
        m = new bytes32[](n);
        for (uint256 i = 0; i < n; ++i) {
            d[i] = keccak256(abi.encode(seed, "digest", i));
            m[i] = keccak256(abi.encode(seed, "meta", i));
        }
    }

    /// One hash over every log PatientContract and AuditContract emitted since the last call, in
    /// order (emitter, topics, data): two runs that emit the same events get the same hash.
    function _logsHash() internal returns (bytes32 h, uint256 count) {
        Vm.Log[] memory logs = vm.getRecordedLogs();
        for (uint256 i = 0; i < logs.length; ++i) {
            Vm.Log memory entry = logs[i];
            if (entry.emitter != address(patients) && entry.emitter != address(audit)) continue;
            h = keccak256(abi.encode(h, entry.emitter, entry.topics, entry.data));
            ++count;
        }
    }

    /// A hash of the patient's state as the views show it: its slot and every record's.
    function _stateHash(address who) internal view returns (bytes32 h) {
        (uint32 epoch, uint32 records, bytes15 profile, uint40 sealUntil, uint32 suspensions, uint16 grantees) =
            patients.patientOf(who);
        h = keccak256(abi.encode(epoch, records, profile, sealUntil, suspensions, grantees));
        for (uint32 id = 1; id <= records + 1; ++id) {
            (uint32 version, uint32 attachments, bytes24 head) = patients.recordOf(who, id);
            h = keccak256(abi.encode(h, id, version, attachments, head));
        }
        (uint64 seq, bytes24 chainHead) = audit.chainOf(who);
        h = keccak256(abi.encode(h, seq, chainHead));
    }

    // ---------------------------------------------------------------- equal to N addRecord calls

    /// From the same state, N addRecord calls and one addRecords of the same N digests leave the
    /// same patient slot, records and audit chain, and emit the same events in the same order:
    /// one RecordVersion and one RecordAdded audit entry per record, naming it.
    function testFuzz_batchEqualsSingleAdds(uint8 count, bytes32 seed, bool byPatient) public {
        uint256 n = bound(count, 1, 40);
        address writer = byPatient ? patient : doctor;
        addRecordAs(doctor, patient, keccak256("an earlier record")); // ids do not start at 1
        (bytes32[] memory d, bytes32[] memory m) = _digests(n, seed);
        uint32 epoch = epochOf(patient);
        _logsHash(); // drop the set-up's logs

        uint256 snapshot = vm.snapshotState();
        vm.startPrank(writer);
        for (uint256 i = 0; i < n; ++i) {
            assertEq(patients.addRecord(patient, epoch, d[i], m[i]), 2 + i, "single id");
        }
        vm.stopPrank();
        (bytes32 singleLogs, uint256 singleCount) = _logsHash();
        bytes32 singleState = _stateHash(patient);

        vm.revertToState(snapshot);
        vm.prank(writer);
        assertEq(patients.addRecords(patient, epoch, d, m), 2, "first id of the batch");
        (bytes32 batchLogs, uint256 batchCount) = _logsHash();

        assertEq(batchCount, singleCount, "event count");
        assertEq(batchCount, 2 * n, "one RecordVersion and one audit entry per record");
        assertEq(batchLogs, singleLogs, "the same events in the same order");
        assertEq(_stateHash(patient), singleState, "the same state");
    }

    /// The batch's audit entries are those of addRecord: kind RecordAdded, the writer as actor,
    /// subject recordId << 32 | 1, the digest as data; the stored chain is their hash chain.
    function test_batchAuditsEachRecord() public {
        absorb(vm.getRecordedLogs());
        (bytes32[] memory d, bytes32[] memory m) = _digests(5, "audit");
        uint32 epoch = epochOf(patient);
        vm.prank(doctor);
        patients.addRecords(patient, epoch, d, m);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        absorb(logs);
        assertChain(patient);
        uint256 seen = 0;
        for (uint256 i = 0; i < logs.length; ++i) {
            Vm.Log memory entry = logs[i];
            if (entry.emitter != address(audit) || entry.topics[0] != ENTRY_TOPIC) continue;
            (uint256 info, bytes32 data) = abi.decode(entry.data, (uint256, bytes32));
            assertEq(address(uint160(info >> 96)), doctor, "actor");
            assertEq((info >> 48) & 0xff, 7, "kind RecordAdded");
            assertEq(entry.topics[2], bytes32((uint256(seen + 1) << 32) | 1), "subject names the record");
            assertEq(data, d[seen], "data is the digest");
            ++seen;
        }
        assertEq(seen, 5, "one entry per record");
        (, uint32 records,,,,) = patients.patientOf(patient);
        assertEq(records, 5, "record count");
        (uint32 version,, bytes24 head) = patients.recordOf(patient, 3);
        assertEq(version, 1, "version 1");
        assertTrue(head == bytes24(keccak256(abi.encode(d[2]))), "head commits to the digest");
    }

    // ---------------------------------------------------------------- size and shape

    function test_batchSizeBounded() public {
        uint32 epoch = epochOf(patient);
        bytes32[] memory none = new bytes32[](0);
        vm.expectRevert(abi.encodeWithSelector(PatientContract.BatchSize.selector, 0));
        vm.prank(doctor);
        patients.addRecords(patient, epoch, none, none);

        uint256 max = patients.MAX_BATCH();
        (bytes32[] memory d, bytes32[] memory m) = _digests(max + 1, "big");
        vm.expectRevert(abi.encodeWithSelector(PatientContract.BatchSize.selector, max + 1));
        vm.prank(doctor);
        patients.addRecords(patient, epoch, d, m);

        (d, m) = _digests(max, "max");
        vm.prank(doctor);
        patients.addRecords(patient, epoch, d, m);
        (, uint32 records,,,,) = patients.patientOf(patient);
        assertEq(records, max, "a full batch lands");
    }

    function test_mismatchedLengths_refused() public {
        uint32 epoch = epochOf(patient);
        (bytes32[] memory d,) = _digests(3, "d");
        (, bytes32[] memory m) = _digests(2, "m");
        vm.expectRevert(PatientContract.LengthMismatch.selector);
        vm.prank(doctor);
        patients.addRecords(patient, epoch, d, m);
        vm.expectRevert(PatientContract.LengthMismatch.selector);
        vm.prank(doctor);
        patients.addRecords(patient, epoch, m, d);
    }

    // ---------------------------------------------------------------- who may write, under what key

    function test_strangerAndDoctorWithoutGrant_refused() public {
        uint32 epoch = epochOf(patient);
        (bytes32[] memory d, bytes32[] memory m) = _digests(2, "x");
        vm.expectRevert(abi.encodeWithSelector(DoctorContract.NotVerified.selector, stranger));
        vm.prank(stranger);
        patients.addRecords(patient, epoch, d, m);
        vm.expectRevert(abi.encodeWithSelector(DoctorContract.NoActiveGrant.selector, patient, doctor2));
        vm.prank(doctor2);
        patients.addRecords(patient, epoch, d, m);
        // a stranger that names itself as an unregistered patient
        vm.expectRevert(abi.encodeWithSelector(PatientContract.UnknownPatient.selector, stranger));
        vm.prank(stranger);
        patients.addRecords(stranger, 1, d, m);
    }

    function test_staleEpochAndRotationRequired_refused() public {
        grant(patient, doctor2);
        (bytes32[] memory d, bytes32[] memory m) = _digests(2, "e");
        revokeAccess(patient, doctor2); // epoch 1 -> 2
        vm.expectRevert(abi.encodeWithSelector(PatientContract.StaleEpoch.selector, patient, 2));
        vm.prank(doctor);
        patients.addRecords(patient, 1, d, m);
        vm.expectRevert(abi.encodeWithSelector(PatientContract.StaleEpoch.selector, patient, 2));
        vm.prank(doctor);
        patients.addRecords(patient, 3, d, m);
        // any suspension ends every epoch: the batch waits for a rotation like addRecord does
        address other = newDoctor(0xD0F, true);
        vm.prank(authority);
        doctors.suspendDoctor(other);
        vm.expectRevert(abi.encodeWithSelector(PatientContract.RotationRequired.selector, patient, 2));
        vm.prank(doctor);
        patients.addRecords(patient, 2, d, m);
        rotate(doctor, patient);
        vm.prank(doctor);
        patients.addRecords(patient, 3, d, m);
    }

    /// A doctor that calls the contract directly: revoked, it cannot slip a batch in under the
    /// epoch whose key it still holds; granted by one patient, it cannot write to another; nothing
    /// it sends changes the count or the chain of a patient it may not write to.
    function test_attacker_cannotBatchWhereItMayNotWrite() public {
        grant(patient, doctor2);
        (bytes32[] memory d, bytes32[] memory m) = _digests(3, "attack");
        // granted by `patient`, not by `patient2`
        bytes32 before2 = _stateHash(patient2);
        vm.expectRevert(abi.encodeWithSelector(DoctorContract.NoActiveGrant.selector, patient2, doctor2));
        vm.prank(doctor2);
        patients.addRecords(patient2, 1, d, m);
        assertEq(_stateHash(patient2), before2, "patient2 untouched");
        // revoked: neither the old epoch (whose key it holds) nor the new one takes its batch
        revokeAccess(patient, doctor2);
        bytes32 before = _stateHash(patient);
        vm.startPrank(doctor2);
        vm.expectRevert(abi.encodeWithSelector(DoctorContract.NoActiveGrant.selector, patient, doctor2));
        patients.addRecords(patient, 1, d, m);
        vm.expectRevert(abi.encodeWithSelector(DoctorContract.NoActiveGrant.selector, patient, doctor2));
        patients.addRecords(patient, 2, d, m);
        vm.stopPrank();
        assertEq(_stateHash(patient), before, "patient untouched");
        // suspended while holding a grant
        vm.prank(authority);
        doctors.suspendDoctor(doctor);
        vm.expectRevert(abi.encodeWithSelector(DoctorContract.NotVerified.selector, doctor));
        vm.prank(doctor);
        patients.addRecords(patient, 2, d, m);
        assertEq(_stateHash(patient), before, "still untouched");
    }
}
