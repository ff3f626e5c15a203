// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {Base} from "./Base.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {AuditContract} from "../src/AuditContract.sol";
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

    function test_registerPatient_storesEpochAndEmitsKeyAndEnvelope() public {
        address p = vm.addr(0x1234);
        bytes memory pub = publicKey(0x1234);
        bytes memory e = envelope(1);
        vm.expectEmit(true, false, false, true, address(patients));
        emit PatientContract.PatientKey(p, pub);
        vm.expectEmit(true, true, false, true, address(patients));
        emit PatientContract.KeyEnvelope(p, p, 1, e);
        vm.prank(p);
        patients.registerPatient(pub, bytes32(uint256(99)), e);
        (uint32 epoch, uint32 records, bytes15 profile, uint40 sealUntil, uint32 suspensions, uint16 grantees) =
            patients.patientOf(p);
        assertEq(epoch, 1, "epoch");
        assertEq(records, 0, "records");
        assertTrue(profile == bytes15(bytes32(uint256(99))), "profile commitment");
        assertEq(sealUntil, type(uint40).max, "no recipient: seals for ever");
        assertEq(suspensions, doctors.suspensions(), "suspension count at the start");
        assertEq(grantees, 0, "no grantee");
        absorb(vm.getRecordedLogs());
        assertChain(p);
        assertEq(modelSeq[p], 1, "registration entry");
    }

    function test_registerPatient_revertsTwice() public {
        bytes memory pub = publicKey(PAT_KEY);
        bytes memory e = envelope(1);
        vm.prank(patient);
        vm.expectRevert(abi.encodeWithSelector(PatientContract.AlreadyRegistered.selector, patient));
        patients.registerPatient(pub, 0, e);
    }

    function test_registerPatient_revertsOnEmptyEnvelope() public {
        bytes memory pub = publicKey(STRANGER_KEY);
        vm.prank(stranger);
        vm.expectRevert(PatientContract.EmptyEnvelope.selector);
        patients.registerPatient(pub, 0, "");
    }

    /// The published key must be the caller's own 64-byte key: a doctor rotating the patient's key
    /// wraps the new key to it, so a wrong one would lock the patient out of its own records.
    function test_registerPatient_refusesSomeoneElsesOrMalformedKey() public {
        bytes memory other = publicKey(0xBEEF);
        bytes memory e = envelope(1);
        vm.prank(stranger);
        vm.expectRevert(PatientContract.InvalidPublicKey.selector);
        patients.registerPatient(other, 0, e);
        bytes memory prefixed = abi.encodePacked(bytes1(0x04), publicKey(STRANGER_KEY));
        vm.prank(stranger);
        vm.expectRevert(PatientContract.InvalidPublicKey.selector);
        patients.registerPatient(prefixed, 0, e);
        (uint32 epoch,,,,,) = patients.patientOf(stranger);
        assertEq(epoch, 0, "not registered");
    }

    // ---------------------------------------------------------------- registration by a doctor

    function _registerFor(uint256 key, address by, uint40 expiry, uint40 deadline, uint256 signerKey)
        internal
        returns (bytes memory sig)
    {
        bytes memory pub = publicKey(key);
        bytes memory pe = envelope(11);
        bytes memory de = envelope(12);
        sig = consent(signerKey, by, bytes32(uint256(5)), pe, de, expiry, deadline);
        vm.prank(by);
        patients.registerPatientFor(vm.addr(key), pub, bytes32(uint256(5)), pe, de, expiry, deadline, sig);
    }

    function test_registerPatientFor_registersAndGrants() public {
        uint256 key = 0x7777;
        address p = vm.addr(key);
        uint40 expiry = uint40(block.timestamp + 30 days);
        _registerFor(key, doctor, expiry, uint40(block.timestamp + 1 hours), key);
        (uint32 epoch,,, uint40 sealUntil,, uint16 grantees) = patients.patientOf(p);
        assertEq(epoch, 1, "registered");
        assertEq(sealUntil, expiry, "epoch 1 seals until the consent grant expires");
        assertEq(grantees, 1, "the registering doctor is a grantee");
        (AccessState state, uint40 e, uint32 ep) = doctors.grantOf(p, doctor);
        assertTrue(state == AccessState.Approved, "doctor holds a grant");
        assertEq(e, expiry, "expiry");
        assertEq(ep, 1, "epoch");
        absorb(vm.getRecordedLogs());
        assertChain(p);
        // the doctor can write the first record at once
        vm.prank(doctor);
        patients.addRecord(p, 1, bytes32(uint256(1)), 0);
    }

    function _recovered(uint256 signerKey, address signedFor, address caller, bytes memory de)
        internal
        view
        returns (bytes memory sig, address signer)
    {
        uint40 expiry = uint40(block.timestamp + 30 days);
        uint40 deadline = uint40(block.timestamp + 1 hours);
        bytes memory pe = envelope(11);
        sig = consent(signerKey, signedFor, bytes32(uint256(5)), pe, envelope(12), expiry, deadline);
        signer = ECDSA.recover(patients.consentDigest(caller, bytes32(uint256(5)), pe, de, expiry, deadline), sig);
    }

    function test_registerPatientFor_refusesBadConsent() public {
        uint256 key = 0x7777;
        bytes memory pub = publicKey(key);
        uint40 expiry = uint40(block.timestamp + 30 days);
        uint40 deadline = uint40(block.timestamp + 1 hours);
        bytes memory pe = envelope(11);
        bytes memory de = envelope(12);
        // signed by someone else
        bytes memory sig = consent(0x8888, doctor, bytes32(uint256(5)), pe, de, expiry, deadline);
        vm.prank(doctor);
        vm.expectRevert(abi.encodeWithSelector(PatientContract.InvalidConsent.selector, vm.addr(0x8888)));
        patients.registerPatientFor(vm.addr(key), pub, bytes32(uint256(5)), pe, de, expiry, deadline, sig);
        // signed for another doctor: the caller cannot reuse it (it recovers to some other address)
        address signer;
        (sig, signer) = _recovered(key, doctor2, doctor, de);
        assertTrue(signer != vm.addr(key), "recovers to someone else");
        vm.prank(doctor);
        vm.expectRevert(abi.encodeWithSelector(PatientContract.InvalidConsent.selector, signer));
        patients.registerPatientFor(vm.addr(key), pub, bytes32(uint256(5)), pe, de, expiry, deadline, sig);
        // tampered envelope
        (sig, signer) = _recovered(key, doctor, doctor, envelope(13));
        vm.prank(doctor);
        vm.expectRevert(abi.encodeWithSelector(PatientContract.InvalidConsent.selector, signer));
        patients.registerPatientFor(vm.addr(key), pub, bytes32(uint256(5)), pe, envelope(13), expiry, deadline, sig);
        // malformed signature
        vm.prank(doctor);
        vm.expectRevert(abi.encodeWithSelector(ECDSA.ECDSAInvalidSignatureLength.selector, 3));
        patients.registerPatientFor(vm.addr(key), pub, bytes32(uint256(5)), pe, de, expiry, deadline, hex"010203");
    }

    function test_registerPatientFor_refusesLateOrPointless() public {
        uint256 key = 0x7777;
        bytes memory pub = publicKey(key);
        bytes memory pe = envelope(11);
        bytes memory de = envelope(12);
        uint40 expiry = uint40(block.timestamp + 30 days);
        uint40 deadline = uint40(block.timestamp + 1 hours);
        bytes memory sig = consent(key, doctor, bytes32(uint256(5)), pe, de, expiry, deadline);
        vm.warp(deadline + 1);
        vm.prank(doctor);
        vm.expectRevert(abi.encodeWithSelector(PatientContract.ConsentExpired.selector, deadline));
        patients.registerPatientFor(vm.addr(key), pub, bytes32(uint256(5)), pe, de, expiry, deadline, sig);
        uint40 past = uint40(block.timestamp);
        vm.prank(doctor);
        vm.expectRevert(abi.encodeWithSelector(PatientContract.InvalidExpiry.selector, past));
        patients.registerPatientFor(vm.addr(key), pub, bytes32(uint256(5)), pe, de, past, uint40(block.timestamp), sig);
        vm.prank(doctor);
        vm.expectRevert(PatientContract.EmptyEnvelope.selector);
        patients.registerPatientFor(vm.addr(key), pub, bytes32(uint256(5)), pe, "", expiry, uint40(block.timestamp), sig);
        // an empty envelope for the patient, properly signed
        sig = consent(key, doctor, bytes32(uint256(5)), "", de, expiry, uint40(block.timestamp));
        vm.prank(doctor);
        vm.expectRevert(PatientContract.EmptyEnvelope.selector);
        patients.registerPatientFor(vm.addr(key), pub, bytes32(uint256(5)), "", de, expiry, uint40(block.timestamp), sig);
    }

    /// A properly signed consent with a public key that is not the patient's is refused.
    function test_registerPatientFor_refusesSomeoneElsesPublicKey() public {
        uint256 key = 0x7777;
        bytes memory wrong = publicKey(0x8888);
        bytes memory pe = envelope(11);
        bytes memory de = envelope(12);
        uint40 expiry = uint40(block.timestamp + 30 days);
        uint40 deadline = uint40(block.timestamp + 1 hours);
        bytes memory sig = consent(key, doctor, bytes32(uint256(5)), pe, de, expiry, deadline);
        vm.prank(doctor);
        vm.expectRevert(PatientContract.InvalidPublicKey.selector);
        patients.registerPatientFor(vm.addr(key), wrong, bytes32(uint256(5)), pe, de, expiry, deadline, sig);
        (AccessState state,,) = doctors.grantOf(vm.addr(key), doctor);
        assertTrue(state == AccessState.None, "no grant left behind");
    }

    /// A patient that cancelled its consent before the doctor used it cannot be registered with it
    /// (before: no cancellation existed, a signed consent was usable until its deadline).
    function test_registerPatientFor_refusesCancelledConsent() public {
        uint256 key = 0x7777;
        address p = vm.addr(key);
        bytes memory pub = publicKey(key);
        bytes memory pe = envelope(11);
        bytes memory de = envelope(12);
        uint40 expiry = uint40(block.timestamp + 30 days);
        uint40 deadline = uint40(block.timestamp + 1 hours);
        bytes memory sig = consent(key, doctor, bytes32(uint256(5)), pe, de, expiry, deadline);
        bytes32 digest = patients.consentDigest(doctor, bytes32(uint256(5)), pe, de, expiry, deadline);
        vm.expectEmit(true, false, false, true, address(patients));
        emit PatientContract.ConsentCancelled(p, digest);
        vm.prank(p);
        patients.cancelConsent(digest);
        // someone else cancelling the same digest cancels nothing of this patient's
        vm.prank(stranger);
        patients.cancelConsent(digest);
        vm.prank(doctor);
        vm.expectRevert(abi.encodeWithSelector(PatientContract.ConsentWasCancelled.selector, p));
        patients.registerPatientFor(p, pub, bytes32(uint256(5)), pe, de, expiry, deadline, sig);
        (uint32 epoch,,,,,) = patients.patientOf(p);
        assertEq(epoch, 0, "not registered");
        (AccessState state,,) = doctors.grantOf(p, doctor);
        assertTrue(state == AccessState.None, "no grant");
        // a new consent (another expiry) still works
        _registerFor(key, doctor, expiry + 1, deadline, key);
        assertTrue(doctors.hasAccess(p, doctor), "registered with a fresh consent");
    }

    /// A stranger's cancellation of a patient's consent digest does not stop its use.
    function test_cancelConsent_onlyThePatientsOwn() public {
        uint256 key = 0x7777;
        uint40 expiry = uint40(block.timestamp + 30 days);
        uint40 deadline = uint40(block.timestamp + 1 hours);
        bytes32 digest = patients.consentDigest(doctor, bytes32(uint256(5)), envelope(11), envelope(12), expiry, deadline);
        vm.prank(stranger);
        patients.cancelConsent(digest);
        _registerFor(key, doctor, expiry, deadline, key);
        assertTrue(doctors.hasAccess(vm.addr(key), doctor), "registered");
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
        patients.updateProfile(bytes32(uint256(0xABC) << 200), 1);
        (,, bytes15 profile,,,) = patients.patientOf(patient);
        assertTrue(profile == bytes15(bytes32(uint256(0xABC) << 200)), "profile");
        absorb(vm.getRecordedLogs());
        assertChain(patient);
    }

    function test_updateProfile_refusesStrangerAndStaleEpoch() public {
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(PatientContract.UnknownPatient.selector, stranger));
        patients.updateProfile(0, 1);
        rotate(patient, patient);
        vm.prank(patient);
        vm.expectRevert(abi.encodeWithSelector(PatientContract.StaleEpoch.selector, patient, 2));
        patients.updateProfile(0, 1);
    }

    // ---------------------------------------------------------------- decisions

    function test_approve_emitsEnvelopeForCurrentEpoch() public {
        request(doctor, patient);
        bytes memory e = envelope(3);
        uint40 expiry = uint40(block.timestamp + 1 days);
        vm.expectEmit(true, true, false, true, address(patients));
        emit PatientContract.KeyEnvelope(patient, doctor, 1, e);
        vm.prank(patient);
        patients.approve(doctor, expiry, e);
        assertTrue(doctors.hasAccess(patient, doctor), "approved");
        (,,, uint40 sealUntil,, uint16 grantees) = patients.patientOf(patient);
        assertEq(grantees, 1, "one grantee");
        assertEq(sealUntil, expiry, "the epoch seals until the new recipient's expiry");
        // a later, longer approval does not extend the epoch
        grant(patient, doctor2);
        (,,, sealUntil,, grantees) = patients.patientOf(patient);
        assertEq(grantees, 2, "two grantees");
        assertEq(sealUntil, expiry, "still the earliest expiry");
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
        assertEq(granteesOf(patient), 1, "counted once");
    }

    /// A doctor suspended after its request cannot be approved: it would receive the current key
    /// (before: approve did not look at the doctor's standing).
    function test_approve_refusesSuspendedDoctor() public {
        request(doctor, patient);
        vm.prank(authority);
        doctors.suspendDoctor(doctor);
        bytes memory e = envelope(3);
        uint40 expiry = uint40(block.timestamp + 1 days);
        vm.prank(patient);
        vm.expectRevert(abi.encodeWithSelector(DoctorContract.NotVerified.selector, doctor));
        patients.approve(doctor, expiry, e);
        (AccessState state,,) = doctors.grantOf(patient, doctor);
        assertTrue(state == AccessState.Requested, "still only requested");
        assertEq(granteesOf(patient), 0, "no grantee");
    }

    /// An expired grantee asking again is Renewing: still a grantee; approving it does not count
    /// it twice, denying it returns it to its expired approval.
    function test_renewal_approveAndDenyKeepTheCount() public {
        request(doctor, patient);
        approveAccess(patient, doctor, uint40(block.timestamp + 10));
        vm.warp(block.timestamp + 10);
        request(doctor, patient);
        (AccessState state, uint40 expiry,) = doctors.grantOf(patient, doctor);
        assertTrue(state == AccessState.Renewing, "renewing");
        assertEq(granteesOf(patient), 1, "still a grantee");
        vm.prank(patient);
        patients.deny(doctor);
        (state,,) = doctors.grantOf(patient, doctor);
        assertTrue(state == AccessState.Approved, "back to the expired approval");
        assertTrue(!doctors.hasAccess(patient, doctor), "without access");
        assertEq(granteesOf(patient), 1, "still a grantee after deny");
        request(doctor, patient);
        approveAccess(patient, doctor, expiry + 100 days);
        assertTrue(doctors.hasAccess(patient, doctor), "renewed");
        assertEq(granteesOf(patient), 1, "renewal counted once");
        absorb(vm.getRecordedLogs());
        assertChain(patient);
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
        bytes memory link = envelope(23);
        vm.expectEmit(true, true, false, true, address(patients));
        emit PatientContract.KeyEnvelope(patient, patient, 2, own);
        vm.expectEmit(true, true, false, true, address(patients));
        emit PatientContract.KeyEnvelope(patient, address(0), 2, link);
        vm.expectEmit(true, true, false, true, address(patients));
        emit PatientContract.KeyEnvelope(patient, doctor2, 2, envs[0]);
        vm.prank(patient);
        patients.revoke(doctor, epochAt(patient), own, link, keep, envs);
        assertEq(epochOf(patient), 2, "new epoch");
        assertEq(granteesOf(patient), 1, "one grantee left");
        assertTrue(!doctors.hasAccess(patient, doctor), "revoked");
        assertTrue(doctors.hasAccess(patient, doctor2), "kept");
        absorb(vm.getRecordedLogs());
        assertChain(patient);
    }

    function test_revoke_reverts() public {
        bytes memory own = envelope(21);
        bytes memory link = envelope(23);
        address[] memory none = new address[](0);
        bytes[] memory noEnv = new bytes[](0);
        grant(patient, doctor);
        grant(patient, doctor2);
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(PatientContract.UnknownPatient.selector, stranger));
        patients.revoke(doctor, epochAt(stranger), own, link, none, noEnv);
        vm.prank(patient);
        vm.expectRevert(PatientContract.EmptyEnvelope.selector);
        patients.revoke(doctor, epochAt(patient), "", link, none, noEnv);
        vm.prank(patient);
        vm.expectRevert(PatientContract.EmptyEnvelope.selector);
        patients.revoke(doctor, epochAt(patient), own, "", none, noEnv);
        vm.prank(patient);
        vm.expectRevert(PatientContract.LengthMismatch.selector);
        patients.revoke(doctor, epochAt(patient), own, link, new address[](1), noEnv);
        // leaving out the remaining grantee
        vm.prank(patient);
        vm.expectRevert(abi.encodeWithSelector(PatientContract.GranteeCount.selector, patient, 1));
        patients.revoke(doctor, epochAt(patient), own, link, none, noEnv);
        // the revoked doctor in place of the remaining grantee
        address[] memory back = new address[](1);
        back[0] = doctor;
        bytes[] memory one = new bytes[](1);
        one[0] = envelope(1);
        vm.prank(patient);
        vm.expectRevert(abi.encodeWithSelector(DoctorContract.NotAGrantee.selector, patient, doctor));
        patients.revoke(doctor, epochAt(patient), own, link, back, one);
        // the remaining grantee holds access: it must receive the new key
        back[0] = doctor2;
        one[0] = "";
        vm.prank(patient);
        vm.expectRevert(abi.encodeWithSelector(PatientContract.MissingEnvelope.selector, doctor2));
        patients.revoke(doctor, epochAt(patient), own, link, back, one);
        assertEq(epochOf(patient), 1, "nothing rotated");
        assertTrue(doctors.hasAccess(patient, doctor), "nothing revoked");
    }

    function test_revoke_expiredGrant() public {
        request(doctor, patient);
        approveAccess(patient, doctor, uint40(block.timestamp + 1));
        vm.warp(block.timestamp + 2);
        revokeAccess(patient, doctor);
        (AccessState state,,) = doctors.grantOf(patient, doctor);
        assertTrue(state == AccessState.None, "cleared");
        assertEq(granteesOf(patient), 0, "no grantee");
    }

    /// A revoke works whatever the doctor did to its grant: never asked, pending, or renewing.
    /// Before, revoking anything but an approval reverted NotApproved.
    function test_revoke_anyStateRotates() public {
        revokeAccess(patient, doctor); // never asked
        assertEq(epochOf(patient), 2, "rotated");
        request(doctor, patient);
        revokeAccess(patient, doctor); // pending
        assertEq(epochOf(patient), 3, "rotated again");
        (AccessState state,,) = doctors.grantOf(patient, doctor);
        assertTrue(state == AccessState.None, "request cleared");
        assertEq(granteesOf(patient), 0, "never a grantee");
        absorb(vm.getRecordedLogs());
        assertChain(patient);
    }

    /// The malicious doctor's move of issue 12 point 4: its approval expired, it asks again just
    /// before the patient's revoke, hoping the revoke fails and the key never rotates. The revoke
    /// goes through (before: NotApproved, since the grant was Requested).
    function test_revoke_succeedsAfterTheDoctorsReRequest() public {
        grant(patient, doctor2);
        request(doctor, patient);
        approveAccess(patient, doctor, uint40(block.timestamp + 10));
        vm.warp(block.timestamp + 10);
        request(doctor, patient); // front-runs the revoke
        (AccessState state,,) = doctors.grantOf(patient, doctor);
        assertTrue(state == AccessState.Renewing, "renewing");
        assertEq(granteesOf(patient), 2, "two grantees");
        revokeAccess(patient, doctor);
        (state,,) = doctors.grantOf(patient, doctor);
        assertTrue(state == AccessState.None, "revoked");
        assertEq(epochOf(patient), 2, "the key rotated");
        assertEq(granteesOf(patient), 1, "one grantee left");
        assertTrue(doctors.hasAccess(patient, doctor2), "the other doctor kept");
    }

    function test_rotateKey() public {
        bytes memory own = envelope(21);
        bytes memory link = envelope(22);
        vm.expectEmit(true, true, false, true, address(patients));
        emit PatientContract.KeyEnvelope(patient, patient, 2, own);
        vm.expectEmit(true, true, false, true, address(patients));
        emit PatientContract.KeyEnvelope(patient, address(0), 2, link);
        vm.prank(patient);
        patients.rotateKey(patient, epochAt(patient), own, link, new address[](0), new bytes[](0));
        assertEq(epochOf(patient), 2, "rotated");
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
        bytes memory link = envelope(22);
        address[] memory none = new address[](0);
        bytes[] memory noEnv = new bytes[](0);
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(PatientContract.UnknownPatient.selector, stranger));
        patients.rotateKey(stranger, epochAt(stranger), own, link, none, noEnv);
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(DoctorContract.NotVerified.selector, stranger));
        patients.rotateKey(patient, epochAt(patient), own, link, none, noEnv);
        vm.prank(doctor);
        vm.expectRevert(abi.encodeWithSelector(DoctorContract.NoActiveGrant.selector, patient, doctor));
        patients.rotateKey(patient, epochAt(patient), own, link, none, noEnv);
        vm.startPrank(patient);
        vm.expectRevert(PatientContract.EmptyEnvelope.selector);
        patients.rotateKey(patient, epochAt(patient), "", link, none, noEnv);
        vm.expectRevert(PatientContract.EmptyEnvelope.selector);
        patients.rotateKey(patient, epochAt(patient), own, "", none, noEnv);
        vm.expectRevert(PatientContract.LengthMismatch.selector);
        patients.rotateKey(patient, epochAt(patient), own, link, new address[](2), new bytes[](1));
        vm.expectRevert(abi.encodeWithSelector(PatientContract.GranteeCount.selector, patient, 0));
        patients.rotateKey(patient, epochAt(patient), own, link, new address[](1), new bytes[](1));
        vm.stopPrank();
        assertEq(epochOf(patient), 1, "nothing rotated");
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
        bytes[3] memory rotateErr = [
            abi.encodeWithSelector(DoctorContract.NotVerified.selector, stranger),
            abi.encodeWithSelector(DoctorContract.NoActiveGrant.selector, patient, doctor),
            abi.encodeWithSelector(DoctorContract.NotVerified.selector, doctor2)
        ];
        bytes memory e = envelope(1);
        (address[] memory list, bytes[] memory envs) = recipientsOf(patient, address(0));
        for (uint256 i = 0; i < others.length; ++i) {
            address who = others[i];
            vm.startPrank(who);
            vm.expectRevert(abi.encodeWithSelector(PatientContract.UnknownPatient.selector, who));
            patients.approve(doctor2, uint40(block.timestamp + 1), e);
            vm.expectRevert(abi.encodeWithSelector(DoctorContract.NoPendingRequest.selector, who, doctor2));
            patients.deny(doctor2);
            vm.expectRevert(abi.encodeWithSelector(PatientContract.UnknownPatient.selector, who));
            patients.revoke(doctor, epochAt(who), e, e, new address[](0), new bytes[](0));
            vm.expectRevert(rotateErr[i]);
            patients.rotateKey(patient, epochAt(patient), e, e, list, envs);
            vm.expectRevert(abi.encodeWithSelector(PatientContract.UnknownPatient.selector, who));
            patients.updateProfile(0, 1);
            // blocking is looked up under the caller: nobody blocks on the patient's behalf
            vm.expectRevert(abi.encodeWithSelector(AuditContract.UnknownPatient.selector, who));
            doctors.blockRequests(doctor2);
            vm.expectRevert(abi.encodeWithSelector(DoctorContract.NotBlocked.selector, who, doctor2));
            doctors.unblockRequests(doctor2);
            vm.stopPrank();
        }
        (AccessState state,,) = doctors.grantOf(patient, doctor2);
        assertTrue(state == AccessState.Requested, "request untouched");
        (state,,) = doctors.grantOf(patient, doctor);
        assertTrue(state == AccessState.Approved, "expired grant untouched");
        assertEq(epochOf(patient), 1, "epoch untouched");
    }

    // ---------------------------------------------------------------- records

    function _head(bytes32 digest) internal pure returns (bytes24) {
        return bytes24(keccak256(abi.encode(digest)));
    }

    function test_records_byPatientAndDoctor() public {
        vm.prank(patient);
        uint32 id = patients.addRecord(patient, 1, bytes32(uint256(1)), bytes32(uint256(0xAA)));
        assertEq(id, 1, "first id");
        grant(patient, doctor);
        vm.expectEmit(true, true, false, true, address(patients));
        emit PatientContract.RecordVersion(patient, 1, 2, doctor, bytes32(uint256(2)), bytes32(uint256(1)), 0);
        vm.prank(doctor);
        uint32 version = patients.updateRecord(patient, 1, 1, bytes32(uint256(1)), bytes32(uint256(2)), 0);
        assertEq(version, 2, "second version");
        vm.prank(doctor);
        id = patients.addRecord(patient, 1, bytes32(uint256(3)), 0);
        assertEq(id, 2, "second id");
        vm.expectEmit(true, true, false, true, address(patients));
        emit PatientContract.FileAttached(patient, 1, 1, doctor, bytes32(uint256(9)), bytes32(uint256(8)));
        vm.prank(doctor);
        uint32 index = patients.attachFile(patient, 1, 1, bytes32(uint256(9)), bytes32(uint256(8)));
        assertEq(index, 1, "first attachment");
        vm.prank(patient);
        index = patients.attachFile(patient, 1, 1, bytes32(uint256(10)), 0);
        assertEq(index, 2, "second attachment");
        (uint32 v, uint32 attachments, bytes24 head) = patients.recordOf(patient, 1);
        assertEq(v, 2, "version");
        assertEq(attachments, 2, "attachments");
        assertTrue(head == _head(bytes32(uint256(2))), "head");
        (, uint32 records,,,,) = patients.patientOf(patient);
        assertEq(records, 2, "records");
        absorb(vm.getRecordedLogs());
        assertChain(patient);
    }

    function test_updateRecord_refusesStaleOrUnknown() public {
        bytes32 d1 = keccak256("v1");
        bytes32 d2 = keccak256("v2");
        vm.prank(patient);
        patients.addRecord(patient, 1, d1, 0);
        vm.prank(patient);
        patients.updateRecord(patient, 1, 1, d1, d2, 0);
        vm.prank(patient);
        vm.expectRevert(abi.encodeWithSelector(PatientContract.StaleVersion.selector, patient, 1));
        patients.updateRecord(patient, 1, 1, d1, keccak256("v3"), 0);
        vm.prank(patient);
        vm.expectRevert(abi.encodeWithSelector(PatientContract.UnknownRecord.selector, patient, 2));
        patients.updateRecord(patient, 2, 1, 0, keccak256("v3"), 0);
        vm.prank(patient);
        vm.expectRevert(abi.encodeWithSelector(PatientContract.UnknownRecord.selector, patient, 2));
        patients.attachFile(patient, 2, 1, keccak256("f"), 0);
    }

    /// A previous digest that agrees with the latest version's in its first 24 bytes only is
    /// stale (before: the record kept, and compared, only a 24-byte prefix of the digest).
    function testFuzz_updateRecord_refusesA24BytePrefixMatch(bytes32 d1, uint64 tail) public {
        vm.assume(tail != 0);
        bytes32 forged = d1 ^ bytes32(uint256(tail)); // same first 24 bytes, other last 8
        assertTrue(bytes24(forged) == bytes24(d1), "same prefix");
        grant(patient, doctor);
        vm.prank(patient);
        patients.addRecord(patient, 1, d1, 0);
        vm.prank(doctor);
        vm.expectRevert(abi.encodeWithSelector(PatientContract.StaleVersion.selector, patient, 1));
        patients.updateRecord(patient, 1, 1, forged, keccak256("v2"), 0);
        vm.prank(doctor);
        patients.updateRecord(patient, 1, 1, d1, keccak256("v2"), 0);
    }

    function test_addRecord_refusesUnknownPatient() public {
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(PatientContract.UnknownPatient.selector, stranger));
        patients.addRecord(stranger, 1, bytes32(uint256(1)), 0);
    }

    /// Every record write is refused to a stranger, a registered-but-unverified doctor, a suspended
    /// doctor, a requester (pending or denied), and a doctor whose grant was revoked or expired.
    function test_recordWrites_refuseEveryoneWithoutAnActiveGrant() public {
        addRecordAs(patient, patient, bytes32(uint256(1)));
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
        rotate(patient, patient); // the suspension ended the epoch
        addRecordAs(doctor, patient, bytes32(uint256(2))); // active again
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
        uint32 epoch = epochOf(patient);
        vm.prank(who);
        vm.expectRevert(err);
        patients.addRecord(patient, epoch, bytes32(uint256(7)), 0);
        vm.prank(who);
        vm.expectRevert(err);
        patients.updateRecord(patient, 1, epoch, bytes32(uint256(1)), bytes32(uint256(7)), 0);
        vm.prank(who);
        vm.expectRevert(err);
        patients.attachFile(patient, 1, epoch, bytes32(uint256(7)), 0);
        vm.prank(who);
        vm.expectRevert(err);
        patients.rotateKey(patient, epochAt(patient), envelope(1), envelope(2), new address[](0), new bytes[](0));
        vm.prank(who);
        vm.expectRevert(err);
        doctors.logAccess(patient, 0);
    }

    function testFuzz_recordWrites_strangerRefused(address who, bytes32 digest) public {
        vm.assume(who != patient && who != doctor && who != doctor2);
        vm.prank(patient);
        patients.addRecord(patient, 1, bytes32(uint256(1)), 0);
        vm.prank(who);
        vm.expectRevert(abi.encodeWithSelector(DoctorContract.NotVerified.selector, who));
        patients.addRecord(patient, 1, digest, 0);
        vm.prank(who);
        vm.expectRevert(abi.encodeWithSelector(DoctorContract.NotVerified.selector, who));
        patients.updateRecord(patient, 1, 1, bytes32(uint256(1)), digest, 0);
        vm.prank(who);
        vm.expectRevert(abi.encodeWithSelector(DoctorContract.NotVerified.selector, who));
        patients.attachFile(patient, 1, 1, digest, 0);
    }

    function testFuzz_versionsChain(bytes32[8] memory digests, uint8 n) public {
        n = uint8(bound(n, 1, 8));
        vm.prank(patient);
        patients.addRecord(patient, 1, digests[0], 0);
        bytes32 previous = digests[0];
        for (uint256 i = 1; i < n; ++i) {
            vm.prank(patient);
            uint32 v = patients.updateRecord(patient, 1, 1, previous, digests[i], 0);
            assertEq(v, i + 1, "version grows by one");
            previous = digests[i];
        }
        (uint32 version,, bytes24 head) = patients.recordOf(patient, 1);
        assertEq(version, n, "versions");
        assertTrue(head == _head(previous), "head commits to the latest digest");
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
