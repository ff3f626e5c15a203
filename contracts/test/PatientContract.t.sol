// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {Base} from "./Base.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {AccessState, DoctorContract} from "../src/DoctorContract.sol";
import {PatientContract} from "../src/PatientContract.sol";

contract PatientContractTest is Base {
    uint256 internal constant DOC_KEY = 0xD0C;
    uint256 internal constant DOC2_KEY = 0xD0D;
    uint256 internal constant PAT_KEY = 0xFA7;
    address internal doctor;
    address internal doctor2;
    address internal patient;

    function setUp() public override {
        super.setUp();
        doctor = newDoctor(DOC_KEY, true);
        doctor2 = newDoctor(DOC2_KEY, true);
        patient = newPatient(PAT_KEY);
    }

    // ---------------------------------------------------------------- self-registration

    function test_registerPatient_storesEpochAndEmitsEnvelope() public {
        address p = vm.addr(0x1234);
        bytes memory e = envelope(1);
        vm.expectEmit(true, true, false, true, address(patients));
        emit PatientContract.KeyEnvelope(p, p, 1, e);
        vm.prank(p);
        patients.registerPatient(bytes32(uint256(99)), e);
        (uint32 epoch, uint32 records, bytes24 profile) = patients.patientOf(p);
        assertEq(epoch, 1, "epoch");
        assertEq(records, 0, "records");
        assertTrue(profile == bytes24(bytes32(uint256(99))), "profile commitment");
        absorb(vm.getRecordedLogs());
        assertChain(p);
        assertEq(modelSeq[p], 1, "registration entry");
    }

    function test_registerPatient_revertsTwice() public {
        bytes memory e = envelope(1);
        vm.prank(patient);
        vm.expectRevert(abi.encodeWithSelector(PatientContract.AlreadyRegistered.selector, patient));
        patients.registerPatient(0, e);
    }

    function test_registerPatient_revertsOnEmptyEnvelope() public {
        vm.prank(stranger);
        vm.expectRevert(PatientContract.EmptyEnvelope.selector);
        patients.registerPatient(0, "");
    }

    // ---------------------------------------------------------------- registration by a doctor

    function _registerFor(uint256 key, address by, uint40 expiry, uint40 deadline, uint256 signerKey)
        internal
        returns (bytes memory sig)
    {
        bytes memory pe = envelope(11);
        bytes memory de = envelope(12);
        sig = consent(signerKey, by, bytes32(uint256(5)), pe, de, expiry, deadline);
        vm.prank(by);
        patients.registerPatientFor(vm.addr(key), bytes32(uint256(5)), pe, de, expiry, deadline, sig);
    }

    function test_registerPatientFor_registersAndGrants() public {
        uint256 key = 0x7777;
        address p = vm.addr(key);
        uint40 expiry = uint40(block.timestamp + 30 days);
        _registerFor(key, doctor, expiry, uint40(block.timestamp + 1 hours), key);
        (uint32 epoch,,) = patients.patientOf(p);
        assertEq(epoch, 1, "registered");
        (AccessState state, uint40 e, uint32 ep) = doctors.grantOf(p, doctor);
        assertTrue(state == AccessState.Approved, "doctor holds a grant");
        assertEq(e, expiry, "expiry");
        assertEq(ep, 1, "epoch");
        absorb(vm.getRecordedLogs());
        assertChain(p);
        // the doctor can write the first record at once
        vm.prank(doctor);
        patients.addRecord(p, bytes32(uint256(1)), 0);
    }

    function test_registerPatientFor_refusesBadConsent() public {
        uint256 key = 0x7777;
        uint40 expiry = uint40(block.timestamp + 30 days);
        uint40 deadline = uint40(block.timestamp + 1 hours);
        bytes memory pe = envelope(11);
        bytes memory de = envelope(12);
        // signed by someone else
        bytes memory sig = consent(0x8888, doctor, bytes32(uint256(5)), pe, de, expiry, deadline);
        vm.prank(doctor);
        vm.expectRevert(abi.encodeWithSelector(PatientContract.InvalidConsent.selector, vm.addr(0x8888)));
        patients.registerPatientFor(vm.addr(key), bytes32(uint256(5)), pe, de, expiry, deadline, sig);
        // signed for another doctor: the caller cannot reuse it
        sig = consent(key, doctor2, bytes32(uint256(5)), pe, de, expiry, deadline);
        vm.prank(doctor);
        vm.expectRevert();
        patients.registerPatientFor(vm.addr(key), bytes32(uint256(5)), pe, de, expiry, deadline, sig);
        // tampered envelope
        sig = consent(key, doctor, bytes32(uint256(5)), pe, de, expiry, deadline);
        vm.prank(doctor);
        vm.expectRevert();
        patients.registerPatientFor(vm.addr(key), bytes32(uint256(5)), pe, envelope(13), expiry, deadline, sig);
        // malformed signature
        vm.prank(doctor);
        vm.expectRevert(abi.encodeWithSelector(ECDSA.ECDSAInvalidSignatureLength.selector, 3));
        patients.registerPatientFor(vm.addr(key), bytes32(uint256(5)), pe, de, expiry, deadline, hex"010203");
    }

    function test_registerPatientFor_refusesLateOrPointless() public {
        uint256 key = 0x7777;
        bytes memory pe = envelope(11);
        bytes memory de = envelope(12);
        uint40 expiry = uint40(block.timestamp + 30 days);
        uint40 deadline = uint40(block.timestamp + 1 hours);
        bytes memory sig = consent(key, doctor, bytes32(uint256(5)), pe, de, expiry, deadline);
        vm.warp(deadline + 1);
        vm.prank(doctor);
        vm.expectRevert(abi.encodeWithSelector(PatientContract.ConsentExpired.selector, deadline));
        patients.registerPatientFor(vm.addr(key), bytes32(uint256(5)), pe, de, expiry, deadline, sig);
        uint40 past = uint40(block.timestamp);
        vm.prank(doctor);
        vm.expectRevert(abi.encodeWithSelector(PatientContract.InvalidExpiry.selector, past));
        patients.registerPatientFor(vm.addr(key), bytes32(uint256(5)), pe, de, past, uint40(block.timestamp), sig);
        vm.prank(doctor);
        vm.expectRevert(PatientContract.EmptyEnvelope.selector);
        patients.registerPatientFor(vm.addr(key), bytes32(uint256(5)), pe, "", expiry, uint40(block.timestamp), sig);
        // an empty envelope for the patient, properly signed
        sig = consent(key, doctor, bytes32(uint256(5)), "", de, expiry, uint40(block.timestamp));
        vm.prank(doctor);
        vm.expectRevert(PatientContract.EmptyEnvelope.selector);
        patients.registerPatientFor(vm.addr(key), bytes32(uint256(5)), "", de, expiry, uint40(block.timestamp), sig);
    }

    function test_registerPatientFor_refusesStrangerAndSuspendedDoctor() public {
        uint40 expiry = uint40(block.timestamp + 30 days);
        uint40 deadline = uint40(block.timestamp + 1 hours);
        vm.expectRevert(abi.encodeWithSelector(DoctorContract.NotVerified.selector, stranger));
        this.registerForExternal(0x7777, stranger, expiry, deadline);
        vm.prank(authority);
        doctors.suspendDoctor(doctor);
        vm.expectRevert(abi.encodeWithSelector(DoctorContract.NotVerified.selector, doctor));
        this.registerForExternal(0x7777, doctor, expiry, deadline);
    }

    function test_registerPatientFor_refusesRegisteredPatient() public {
        uint40 expiry = uint40(block.timestamp + 30 days);
        uint40 deadline = uint40(block.timestamp + 1 hours);
        vm.expectRevert(abi.encodeWithSelector(PatientContract.AlreadyRegistered.selector, patient));
        this.registerForExternal(PAT_KEY, doctor, expiry, deadline);
        // and the consent did not leave a grant behind
        (AccessState state,,) = doctors.grantOf(patient, doctor);
        assertTrue(state == AccessState.None, "no grant");
    }

    function registerForExternal(uint256 key, address by, uint40 expiry, uint40 deadline) external {
        _registerFor(key, by, expiry, deadline, key);
    }

    function testFuzz_registerPatientFor_anyPatientKey(uint256 key, uint40 duration) public {
        key = bound(key, 1, 2 ** 160);
        vm.assume(vm.addr(key) != patient);
        duration = uint40(bound(duration, 1, 50 * 365 days));
        _registerFor(key, doctor, uint40(block.timestamp) + duration, uint40(block.timestamp), key);
        assertTrue(doctors.hasAccess(vm.addr(key), doctor), "grant");
    }

    // ---------------------------------------------------------------- profile

    function test_updateProfile() public {
        vm.prank(patient);
        patients.updateProfile(bytes32(uint256(0xABC) << 200));
        (,, bytes24 profile) = patients.patientOf(patient);
        assertTrue(profile == bytes24(bytes32(uint256(0xABC) << 200)), "profile");
        absorb(vm.getRecordedLogs());
        assertChain(patient);
    }

    function test_updateProfile_refusesStranger() public {
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(PatientContract.UnknownPatient.selector, stranger));
        patients.updateProfile(0);
    }

    // ---------------------------------------------------------------- decisions

    function test_approve_emitsEnvelopeForCurrentEpoch() public {
        request(doctor, patient);
        bytes memory e = envelope(3);
        vm.expectEmit(true, true, false, true, address(patients));
        emit PatientContract.KeyEnvelope(patient, doctor, 1, e);
        vm.prank(patient);
        patients.approve(doctor, uint40(block.timestamp + 1 days), e);
        assertTrue(doctors.hasAccess(patient, doctor), "approved");
        absorb(vm.getRecordedLogs());
        assertChain(patient);
    }

    function test_approve_reverts() public {
        bytes memory e = envelope(3);
        uint40 expiry = uint40(block.timestamp + 1 days);
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(PatientContract.UnknownPatient.selector, stranger));
        patients.approve(doctor, expiry, e);
        vm.prank(patient);
        vm.expectRevert(abi.encodeWithSelector(DoctorContract.NoPendingRequest.selector, patient, doctor));
        patients.approve(doctor, expiry, e);
        request(doctor, patient);
        vm.prank(patient);
        vm.expectRevert(abi.encodeWithSelector(PatientContract.InvalidExpiry.selector, uint40(block.timestamp)));
        patients.approve(doctor, uint40(block.timestamp), e);
        vm.prank(patient);
        vm.expectRevert(PatientContract.EmptyEnvelope.selector);
        patients.approve(doctor, expiry, "");
        // a doctor cannot approve itself on the patient's behalf
        vm.prank(doctor);
        vm.expectRevert(abi.encodeWithSelector(PatientContract.UnknownPatient.selector, doctor));
        patients.approve(doctor, expiry, e);
        // approving twice
        approveAccess(patient, doctor, expiry);
        vm.prank(patient);
        vm.expectRevert(abi.encodeWithSelector(DoctorContract.NoPendingRequest.selector, patient, doctor));
        patients.approve(doctor, expiry, e);
    }

    function test_deny() public {
        request(doctor, patient);
        vm.prank(patient);
        patients.deny(doctor);
        (AccessState state,,) = doctors.grantOf(patient, doctor);
        assertTrue(state == AccessState.None, "denied");
        vm.prank(patient);
        vm.expectRevert(abi.encodeWithSelector(DoctorContract.NoPendingRequest.selector, patient, doctor));
        patients.deny(doctor);
        absorb(vm.getRecordedLogs());
        assertChain(patient);
    }

    function test_deny_refusesStrangerAndDoctor() public {
        request(doctor, patient);
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(DoctorContract.NoPendingRequest.selector, stranger, doctor));
        patients.deny(doctor);
        vm.prank(doctor);
        vm.expectRevert(abi.encodeWithSelector(DoctorContract.NoPendingRequest.selector, doctor, doctor));
        patients.deny(doctor);
        (AccessState state,,) = doctors.grantOf(patient, doctor);
        assertTrue(state == AccessState.Requested, "still pending");
    }

    function test_revoke_rotatesKey() public {
        grant(patient, doctor);
        grant(patient, doctor2);
        address[] memory keep = new address[](1);
        keep[0] = doctor2;
        bytes[] memory envs = new bytes[](1);
        envs[0] = envelope(22);
        bytes memory own = envelope(21);
        vm.expectEmit(true, true, false, true, address(patients));
        emit PatientContract.KeyEnvelope(patient, patient, 2, own);
        vm.expectEmit(true, true, false, true, address(patients));
        emit PatientContract.KeyEnvelope(patient, doctor2, 2, envs[0]);
        vm.prank(patient);
        patients.revoke(doctor, own, keep, envs);
        (uint32 epoch,,) = patients.patientOf(patient);
        assertEq(epoch, 2, "new epoch");
        assertTrue(!doctors.hasAccess(patient, doctor), "revoked");
        assertTrue(doctors.hasAccess(patient, doctor2), "kept");
        absorb(vm.getRecordedLogs());
        assertChain(patient);
    }

    function test_revoke_reverts() public {
        bytes memory own = envelope(21);
        address[] memory none = new address[](0);
        bytes[] memory noEnv = new bytes[](0);
        vm.prank(patient);
        vm.expectRevert(abi.encodeWithSelector(DoctorContract.NotApproved.selector, patient, doctor));
        patients.revoke(doctor, own, none, noEnv);
        grant(patient, doctor);
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(DoctorContract.NotApproved.selector, stranger, doctor));
        patients.revoke(doctor, own, none, noEnv);
        vm.prank(patient);
        vm.expectRevert(PatientContract.EmptyEnvelope.selector);
        patients.revoke(doctor, "", none, noEnv);
        vm.prank(patient);
        vm.expectRevert(PatientContract.LengthMismatch.selector);
        patients.revoke(doctor, own, new address[](1), noEnv);
        address[] memory back = new address[](1);
        back[0] = doctor;
        bytes[] memory one = new bytes[](1);
        one[0] = envelope(1);
        vm.prank(patient);
        vm.expectRevert(abi.encodeWithSelector(PatientContract.RevokedRecipient.selector, doctor));
        patients.revoke(doctor, own, back, one);
        back[0] = doctor2;
        one[0] = "";
        vm.prank(patient);
        vm.expectRevert(PatientContract.EmptyEnvelope.selector);
        patients.revoke(doctor, own, back, one);
    }

    function test_revoke_expiredGrant() public {
        request(doctor, patient);
        approveAccess(patient, doctor, uint40(block.timestamp + 1));
        vm.warp(block.timestamp + 2);
        revokeAccess(patient, doctor);
        (AccessState state,,) = doctors.grantOf(patient, doctor);
        assertTrue(state == AccessState.None, "cleared");
    }

    function test_rotateKey() public {
        bytes memory own = envelope(21);
        vm.prank(patient);
        patients.rotateKey(own, new address[](0), new bytes[](0));
        (uint32 epoch,,) = patients.patientOf(patient);
        assertEq(epoch, 2, "rotated");
        // a doctor approved afterwards gets the new epoch
        request(doctor, patient);
        approveAccess(patient, doctor, uint40(block.timestamp + 1 days));
        (,, uint32 grantEpoch) = doctors.grantOf(patient, doctor);
        assertEq(grantEpoch, 2, "grant epoch");
        absorb(vm.getRecordedLogs());
        assertChain(patient);
    }

    function test_rotateKey_reverts() public {
        bytes memory own = envelope(21);
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(PatientContract.UnknownPatient.selector, stranger));
        patients.rotateKey(own, new address[](0), new bytes[](0));
        vm.prank(doctor);
        vm.expectRevert(abi.encodeWithSelector(PatientContract.UnknownPatient.selector, doctor));
        patients.rotateKey(own, new address[](0), new bytes[](0));
        vm.prank(patient);
        vm.expectRevert(PatientContract.EmptyEnvelope.selector);
        patients.rotateKey("", new address[](0), new bytes[](0));
        vm.prank(patient);
        vm.expectRevert(PatientContract.LengthMismatch.selector);
        patients.rotateKey(own, new address[](2), new bytes[](1));
        vm.prank(patient);
        vm.expectRevert(abi.encodeWithSelector(PatientContract.RevokedRecipient.selector, address(0)));
        patients.rotateKey(own, new address[](1), new bytes[](1));
    }

    /// The patient's decisions cannot be taken by anyone else: not a stranger, not a suspended
    /// doctor, not a doctor with an expired grant, not the doctor concerned.
    function test_patientDecisions_refuseEveryoneButThePatient() public {
        grant(patient, doctor);
        request(doctor2, patient);
        vm.prank(authority);
        doctors.suspendDoctor(doctor2);
        vm.warp(block.timestamp + 366 days); // doctor's grant expired
        address[3] memory others = [stranger, doctor, doctor2];
        bytes memory e = envelope(1);
        for (uint256 i = 0; i < others.length; ++i) {
            address who = others[i];
            vm.startPrank(who);
            vm.expectRevert(abi.encodeWithSelector(PatientContract.UnknownPatient.selector, who));
            patients.approve(doctor2, uint40(block.timestamp + 1), e);
            vm.expectRevert(abi.encodeWithSelector(DoctorContract.NoPendingRequest.selector, who, doctor2));
            patients.deny(doctor2);
            vm.expectRevert(abi.encodeWithSelector(DoctorContract.NotApproved.selector, who, doctor));
            patients.revoke(doctor, e, new address[](0), new bytes[](0));
            vm.expectRevert(abi.encodeWithSelector(PatientContract.UnknownPatient.selector, who));
            patients.rotateKey(e, new address[](0), new bytes[](0));
            vm.expectRevert(abi.encodeWithSelector(PatientContract.UnknownPatient.selector, who));
            patients.updateProfile(0);
            vm.stopPrank();
        }
        (AccessState state,,) = doctors.grantOf(patient, doctor2);
        assertTrue(state == AccessState.Requested, "request untouched");
        (state,,) = doctors.grantOf(patient, doctor);
        assertTrue(state == AccessState.Approved, "expired grant untouched");
        (uint32 epoch,,) = patients.patientOf(patient);
        assertEq(epoch, 1, "epoch untouched");
    }

    // ---------------------------------------------------------------- records

    function test_records_byPatientAndDoctor() public {
        vm.prank(patient);
        uint32 id = patients.addRecord(patient, bytes32(uint256(1)), bytes32(uint256(0xAA)));
        assertEq(id, 1, "first id");
        grant(patient, doctor);
        vm.expectEmit(true, true, false, true, address(patients));
        emit PatientContract.RecordVersion(patient, 1, 2, doctor, bytes32(uint256(2)), bytes32(uint256(1)), 0);
        vm.prank(doctor);
        uint32 version = patients.updateRecord(patient, 1, bytes32(uint256(1)), bytes32(uint256(2)), 0);
        assertEq(version, 2, "second version");
        vm.prank(doctor);
        id = patients.addRecord(patient, bytes32(uint256(3)), 0);
        assertEq(id, 2, "second id");
        vm.expectEmit(true, true, false, true, address(patients));
        emit PatientContract.FileAttached(patient, 1, 1, doctor, bytes32(uint256(9)), bytes32(uint256(8)));
        vm.prank(doctor);
        uint32 index = patients.attachFile(patient, 1, bytes32(uint256(9)), bytes32(uint256(8)));
        assertEq(index, 1, "first attachment");
        vm.prank(patient);
        index = patients.attachFile(patient, 1, bytes32(uint256(10)), 0);
        assertEq(index, 2, "second attachment");
        (uint32 v, uint32 attachments, bytes24 head) = patients.recordOf(patient, 1);
        assertEq(v, 2, "version");
        assertEq(attachments, 2, "attachments");
        assertTrue(head == bytes24(bytes32(uint256(2))), "head");
        (, uint32 records,) = patients.patientOf(patient);
        assertEq(records, 2, "records");
        absorb(vm.getRecordedLogs());
        assertChain(patient);
    }

    function test_updateRecord_refusesStaleOrUnknown() public {
        bytes32 d1 = keccak256("v1");
        bytes32 d2 = keccak256("v2");
        vm.prank(patient);
        patients.addRecord(patient, d1, 0);
        vm.prank(patient);
        patients.updateRecord(patient, 1, d1, d2, 0);
        vm.prank(patient);
        vm.expectRevert(abi.encodeWithSelector(PatientContract.StaleVersion.selector, patient, 1));
        patients.updateRecord(patient, 1, d1, keccak256("v3"), 0);
        vm.prank(patient);
        vm.expectRevert(abi.encodeWithSelector(PatientContract.UnknownRecord.selector, patient, 2));
        patients.updateRecord(patient, 2, 0, keccak256("v3"), 0);
        vm.prank(patient);
        vm.expectRevert(abi.encodeWithSelector(PatientContract.UnknownRecord.selector, patient, 2));
        patients.attachFile(patient, 2, keccak256("f"), 0);
    }

    function test_addRecord_refusesUnknownPatient() public {
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(PatientContract.UnknownPatient.selector, stranger));
        patients.addRecord(stranger, bytes32(uint256(1)), 0);
    }

    /// Every record write is refused to a stranger, a registered-but-unverified doctor, a suspended
    /// doctor, a requester (pending or denied), and a doctor whose grant was revoked or expired.
    function test_recordWrites_refuseEveryoneWithoutAnActiveGrant() public {
        vm.prank(patient);
        patients.addRecord(patient, bytes32(uint256(1)), 0);
        address unverified = newDoctor(0xD1, false);
        _expectAllWritesRefused(stranger, abi.encodeWithSelector(DoctorContract.NotVerified.selector, stranger));
        _expectAllWritesRefused(unverified, abi.encodeWithSelector(DoctorContract.NotVerified.selector, unverified));
        bytes memory noGrant = abi.encodeWithSelector(DoctorContract.NoActiveGrant.selector, patient, doctor);
        _expectAllWritesRefused(doctor, noGrant);
        request(doctor, patient);
        _expectAllWritesRefused(doctor, noGrant); // pending
        vm.prank(patient);
        patients.deny(doctor);
        _expectAllWritesRefused(doctor, noGrant); // denied
        grant(patient, doctor);
        vm.prank(authority);
        doctors.suspendDoctor(doctor);
        _expectAllWritesRefused(doctor, abi.encodeWithSelector(DoctorContract.NotVerified.selector, doctor));
        vm.prank(authority);
        doctors.verifyDoctor(doctor);
        vm.prank(doctor);
        patients.addRecord(patient, bytes32(uint256(2)), 0); // active again
        revokeAccess(patient, doctor);
        _expectAllWritesRefused(doctor, noGrant); // revoked
        request(doctor, patient);
        approveAccess(patient, doctor, uint40(block.timestamp + 100));
        vm.warp(block.timestamp + 100);
        _expectAllWritesRefused(doctor, noGrant); // expired
        (uint32 v,,) = patients.recordOf(patient, 1);
        assertEq(v, 1, "record untouched");
    }

    function _expectAllWritesRefused(address who, bytes memory err) internal {
        vm.prank(who);
        vm.expectRevert(err);
        patients.addRecord(patient, bytes32(uint256(7)), 0);
        vm.prank(who);
        vm.expectRevert(err);
        patients.updateRecord(patient, 1, bytes32(uint256(1)), bytes32(uint256(7)), 0);
        vm.prank(who);
        vm.expectRevert(err);
        patients.attachFile(patient, 1, bytes32(uint256(7)), 0);
        vm.prank(who);
        vm.expectRevert(err);
        doctors.logAccess(patient, 0);
    }

    function testFuzz_recordWrites_strangerRefused(address who, bytes32 digest) public {
        vm.assume(who != patient && who != doctor && who != doctor2);
        vm.prank(patient);
        patients.addRecord(patient, bytes32(uint256(1)), 0);
        vm.prank(who);
        vm.expectRevert(abi.encodeWithSelector(DoctorContract.NotVerified.selector, who));
        patients.addRecord(patient, digest, 0);
        vm.prank(who);
        vm.expectRevert(abi.encodeWithSelector(DoctorContract.NotVerified.selector, who));
        patients.updateRecord(patient, 1, bytes32(uint256(1)), digest, 0);
        vm.prank(who);
        vm.expectRevert(abi.encodeWithSelector(DoctorContract.NotVerified.selector, who));
        patients.attachFile(patient, 1, digest, 0);
    }

    function testFuzz_versionsChain(bytes32[8] memory digests, uint8 n) public {
        n = uint8(bound(n, 1, 8));
        vm.prank(patient);
        patients.addRecord(patient, digests[0], 0);
        bytes32 previous = digests[0];
        for (uint256 i = 1; i < n; ++i) {
            vm.prank(patient);
            uint32 v = patients.updateRecord(patient, 1, previous, digests[i], 0);
            assertEq(v, i + 1, "version grows by one");
            previous = digests[i];
        }
        (uint32 version,, bytes24 head) = patients.recordOf(patient, 1);
        assertEq(version, n, "versions");
        assertTrue(head == bytes24(previous), "head commits to the latest digest");
        absorb(vm.getRecordedLogs());
        assertChain(patient);
    }

    function test_consentDigest_isEip712() public view {
        (, string memory name, string memory version, uint256 chainId, address verifying,,) = patients.eip712Domain();
        assertEq(keccak256(bytes(name)), keccak256("Dossier"), "name");
        assertEq(keccak256(bytes(version)), keccak256("1"), "version");
        assertEq(chainId, block.chainid, "chain");
        assertEq(verifying, address(patients), "verifying contract");
        bytes32 domain = keccak256(
            abi.encode(
                keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
                keccak256("Dossier"),
                keccak256("1"),
                block.chainid,
                address(patients)
            )
        );
        bytes32 structHash = keccak256(
            abi.encode(
                keccak256(
                    "Consent(address doctor,bytes32 profile,bytes patientEnvelope,bytes doctorEnvelope,uint40 expiry,uint40 deadline)"
                ),
                doctor,
                bytes32(uint256(5)),
                keccak256(hex"01"),
                keccak256(hex"02"),
                uint40(7),
                uint40(8)
            )
        );
        assertEq(
            patients.consentDigest(doctor, bytes32(uint256(5)), hex"01", hex"02", 7, 8),
            keccak256(abi.encodePacked("\x19\x01", domain, structHash)),
            "digest"
        );
        assertEq(address(patients.AUDIT()), address(audit), "audit wired");
        assertEq(address(patients.DOCTORS()), address(doctors), "doctors wired");
    }
}
