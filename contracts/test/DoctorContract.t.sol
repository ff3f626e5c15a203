// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {Base} from "./Base.sol";
import {Vm} from "./Vm.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {AuditContract} from "../src/AuditContract.sol";
import {AccessState, DoctorContract, DoctorStatus} from "../src/DoctorContract.sol";

contract DoctorContractTest is Base {
    uint256 internal constant DOC_KEY = 0xD0C;
    uint256 internal constant PAT_KEY = 0xFA7;
    address internal doctor;
    address internal patient;

    function setUp() public override {
        super.setUp();
        doctor = newDoctor(DOC_KEY, true);
        patient = newPatient(PAT_KEY);
    }

    // ---------------------------------------------------------------- registration

    function test_registerDoctor_storesStatusAndEmitsKey() public {
        uint256 key = 0xBEEF;
        address d = vm.addr(key);
        bytes memory pub = publicKey(key);
        vm.expectEmit(true, false, false, true, address(doctors));
        emit DoctorContract.DoctorRegistered(d, pub, bytes32(uint256(42)));
        vm.prank(d);
        doctors.registerDoctor(pub, bytes32(uint256(42)));
        (DoctorStatus status, uint40 since) = doctors.doctorOf(d);
        assertTrue(status == DoctorStatus.Registered, "registered");
        assertEq(since, block.timestamp, "since");
    }

    function test_registerDoctor_revertsOnSomeoneElsesKey() public {
        bytes memory pub = publicKey(0xBEEF);
        vm.prank(stranger);
        vm.expectRevert(DoctorContract.InvalidPublicKey.selector);
        doctors.registerDoctor(pub, 0);
    }

    function test_registerDoctor_revertsOnWrongLength() public {
        bytes memory pub = publicKey(0xBEEF);
        bytes memory longer = abi.encodePacked(bytes1(0x04), pub);
        vm.prank(vm.addr(0xBEEF));
        vm.expectRevert(DoctorContract.InvalidPublicKey.selector);
        doctors.registerDoctor(longer, 0);
    }

    function test_registerDoctor_revertsTwice() public {
        bytes memory pub = publicKey(DOC_KEY);
        vm.prank(doctor);
        vm.expectRevert(abi.encodeWithSelector(DoctorContract.AlreadyRegistered.selector, doctor));
        doctors.registerDoctor(pub, 0);
    }

    function test_registerDoctor_suspendedCannotStartOver() public {
        vm.prank(authority);
        doctors.suspendDoctor(doctor);
        bytes memory pub = publicKey(DOC_KEY);
        vm.prank(doctor);
        vm.expectRevert(abi.encodeWithSelector(DoctorContract.AlreadyRegistered.selector, doctor));
        doctors.registerDoctor(pub, 0);
        (DoctorStatus status,) = doctors.doctorOf(doctor);
        assertTrue(status == DoctorStatus.Suspended, "still suspended");
    }

    function testFuzz_registerDoctor_onlyOwnKey(uint256 key, uint256 other) public {
        key = bound(key, 1, 2 ** 128);
        other = bound(other, 1, 2 ** 128);
        vm.assume(key != other);
        // The fuzzer draws keys from the constants it sees, which include setUp's: skip a key
        // whose account setUp registered already.
        (DoctorStatus status,) = doctors.doctorOf(vm.addr(key));
        vm.assume(status == DoctorStatus.None);
        bytes memory pub = publicKey(key);
        vm.prank(vm.addr(other));
        vm.expectRevert(DoctorContract.InvalidPublicKey.selector);
        doctors.registerDoctor(pub, 0);
        vm.prank(vm.addr(key));
        doctors.registerDoctor(pub, 0);
    }

    function test_updateProfile_emits() public {
        vm.expectEmit(true, false, false, true, address(doctors));
        emit DoctorContract.DoctorProfileUpdated(doctor, bytes32(uint256(7)));
        vm.prank(doctor);
        doctors.updateProfile(bytes32(uint256(7)));
    }

    function test_updateProfile_revertsForStranger() public {
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(DoctorContract.NotRegistered.selector, stranger));
        doctors.updateProfile(0);
    }

    // ---------------------------------------------------------------- authority

    function test_verify_and_suspend() public {
        address d = newDoctor(0xD1, false);
        vm.prank(authority);
        vm.expectEmit(true, false, false, true, address(doctors));
        emit DoctorContract.DoctorStatusChanged(d, DoctorStatus.Verified);
        doctors.verifyDoctor(d);
        vm.prank(authority);
        doctors.suspendDoctor(d);
        (DoctorStatus status,) = doctors.doctorOf(d);
        assertTrue(status == DoctorStatus.Suspended, "suspended");
        vm.prank(authority);
        doctors.verifyDoctor(d);
        (status,) = doctors.doctorOf(d);
        assertTrue(status == DoctorStatus.Verified, "verified again");
    }

    function test_suspend_registeredDoctor() public {
        address d = newDoctor(0xD1, false);
        vm.prank(authority);
        doctors.suspendDoctor(d);
        (DoctorStatus status,) = doctors.doctorOf(d);
        assertTrue(status == DoctorStatus.Suspended, "suspended");
    }

    function test_verify_revertsForUnknownOrVerified() public {
        vm.prank(authority);
        vm.expectRevert(abi.encodeWithSelector(DoctorContract.InvalidStatus.selector, stranger, DoctorStatus.None));
        doctors.verifyDoctor(stranger);
        vm.prank(authority);
        vm.expectRevert(abi.encodeWithSelector(DoctorContract.InvalidStatus.selector, doctor, DoctorStatus.Verified));
        doctors.verifyDoctor(doctor);
    }

    function test_suspend_revertsForUnknownOrSuspended() public {
        vm.prank(authority);
        vm.expectRevert(abi.encodeWithSelector(DoctorContract.InvalidStatus.selector, stranger, DoctorStatus.None));
        doctors.suspendDoctor(stranger);
        vm.prank(authority);
        doctors.suspendDoctor(doctor);
        vm.prank(authority);
        vm.expectRevert(abi.encodeWithSelector(DoctorContract.InvalidStatus.selector, doctor, DoctorStatus.Suspended));
        doctors.suspendDoctor(doctor);
    }

    function testFuzz_authorityFunctions_refuseEveryoneElse(address caller) public {
        vm.assume(caller != authority);
        address d = newDoctor(0xD1, false);
        vm.startPrank(caller);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, caller));
        doctors.verifyDoctor(d);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, caller));
        doctors.suspendDoctor(doctor);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, caller));
        doctors.transferOwnership(caller);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, caller));
        doctors.renounceOwnership();
        vm.stopPrank();
    }

    function test_authority_twoStepTransfer() public {
        address next = vm.addr(0xA08);
        vm.prank(authority);
        doctors.transferOwnership(next);
        assertEq(doctors.owner(), authority, "unchanged until accepted");
        assertEq(doctors.pendingOwner(), next, "pending");
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, stranger));
        doctors.acceptOwnership();
        vm.prank(next);
        doctors.acceptOwnership();
        assertEq(doctors.owner(), next, "transferred");
        address d = newDoctor(0xD1, false);
        vm.prank(authority);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, authority));
        doctors.verifyDoctor(d);
        vm.prank(next);
        doctors.verifyDoctor(d);
    }

    function test_renounce_disabled() public {
        vm.prank(authority);
        vm.expectRevert(DoctorContract.RenounceDisabled.selector);
        doctors.renounceOwnership();
        assertEq(doctors.owner(), authority, "still the authority");
    }

    // ---------------------------------------------------------------- requests

    function test_requestAccess_setsRequestedAndAudits() public {
        request(doctor, patient);
        absorb(vm.getRecordedLogs());
        (AccessState state,,) = doctors.grantOf(patient, doctor);
        assertTrue(state == AccessState.Requested, "requested");
        assertEq(modelSeq[patient], 2, "registration and request");
        assertChain(patient);
    }

    function test_requestAccess_refusesUnverifiedSuspendedAndStranger() public {
        address registered = newDoctor(0xD1, false);
        vm.prank(registered);
        vm.expectRevert(abi.encodeWithSelector(DoctorContract.NotVerified.selector, registered));
        doctors.requestAccess(patient);
        vm.prank(authority);
        doctors.suspendDoctor(doctor);
        vm.prank(doctor);
        vm.expectRevert(abi.encodeWithSelector(DoctorContract.NotVerified.selector, doctor));
        doctors.requestAccess(patient);
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(DoctorContract.NotVerified.selector, stranger));
        doctors.requestAccess(patient);
    }

    function test_requestAccess_revertsForUnknownPatient() public {
        vm.prank(doctor);
        vm.expectRevert(abi.encodeWithSelector(AuditContract.UnknownPatient.selector, stranger));
        doctors.requestAccess(stranger);
    }

    function test_requestAccess_onePendingPerPair() public {
        request(doctor, patient);
        vm.prank(doctor);
        vm.expectRevert(abi.encodeWithSelector(DoctorContract.RequestPending.selector, patient, doctor));
        doctors.requestAccess(patient);
    }

    function test_requestAccess_revertsWhileApproved_renewsAfterExpiry() public {
        request(doctor, patient);
        approveAccess(patient, doctor, uint40(block.timestamp + 10));
        vm.prank(doctor);
        vm.expectRevert(abi.encodeWithSelector(DoctorContract.AlreadyApproved.selector, patient, doctor));
        doctors.requestAccess(patient);
        vm.warp(block.timestamp + 10);
        request(doctor, patient);
        (AccessState state, uint40 expiry,) = doctors.grantOf(patient, doctor);
        assertTrue(state == AccessState.Renewing, "an expired approval asked again is renewing");
        assertEq(expiry, block.timestamp, "the old expiry kept");
        assertTrue(!doctors.hasAccess(patient, doctor), "without access");
        vm.prank(doctor);
        vm.expectRevert(abi.encodeWithSelector(DoctorContract.RequestPending.selector, patient, doctor));
        doctors.requestAccess(patient);
    }

    function test_requestAccess_againAfterDenyAndRevoke() public {
        request(doctor, patient);
        vm.prank(patient);
        patients.deny(doctor);
        grant(patient, doctor);
        revokeAccess(patient, doctor);
        request(doctor, patient);
        (AccessState state,,) = doctors.grantOf(patient, doctor);
        assertTrue(state == AccessState.Requested, "re-requested after revoke");
    }

    // ---------------------------------------------------------------- direct deny

    function test_deny_direct_clearsGrantAndAppendsEntry() public {
        request(doctor, patient);
        vm.getRecordedLogs();
        vm.prank(patient);
        doctors.deny(doctor);
        (AccessState state,,) = doctors.grantOf(patient, doctor);
        assertTrue(state == AccessState.None, "denied");
        Vm.Log[] memory logs = vm.getRecordedLogs();
        assertEq(logs.length, 1, "one entry");
        assertEq(logs[0].emitter, address(audit), "from AuditContract");
        assertEq(logs[0].topics[1], bytes32(uint256(uint160(patient))), "patient");
        assertEq(logs[0].topics[2], bytes32(uint256(uint160(doctor))), "subject");
        (uint256 info, bytes32 data) = abi.decode(logs[0].data, (uint256, bytes32));
        assertEq(address(uint160(info >> 96)), patient, "actor");
        assertEq((info >> 48) & 0xff, 4, "kind Denied");
        assertEq(data, bytes32(0), "no data");
        vm.prank(patient);
        vm.expectRevert(abi.encodeWithSelector(DoctorContract.NoPendingRequest.selector, patient, doctor));
        doctors.deny(doctor);
        request(doctor, patient);
        (state,,) = doctors.grantOf(patient, doctor);
        assertTrue(state == AccessState.Requested, "re-requested after a direct deny");
    }

    function test_deny_direct_refusesEveryoneButThePatient() public {
        request(doctor, patient);
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(DoctorContract.NoPendingRequest.selector, stranger, doctor));
        doctors.deny(doctor);
        vm.prank(doctor);
        vm.expectRevert(abi.encodeWithSelector(DoctorContract.NoPendingRequest.selector, doctor, doctor));
        doctors.deny(doctor);
        vm.prank(address(patients));
        vm.expectRevert(abi.encodeWithSelector(DoctorContract.NoPendingRequest.selector, address(patients), doctor));
        doctors.deny(doctor);
        (AccessState state,,) = doctors.grantOf(patient, doctor);
        assertTrue(state == AccessState.Requested, "still pending");
    }

    function test_deny_direct_cannotClearAnApproval() public {
        grant(patient, doctor);
        vm.prank(patient);
        vm.expectRevert(abi.encodeWithSelector(DoctorContract.NoPendingRequest.selector, patient, doctor));
        doctors.deny(doctor);
        assertTrue(doctors.hasAccess(patient, doctor), "still approved");
    }

    // ---------------------------------------------------------------- blocking requests

    /// A patient blocks a doctor that spams requests: its requests revert from then on (before:
    /// there was no block, a denied doctor could request again at once, for ever).
    function test_blockRequests_blockedDoctorCannotRequest() public {
        request(doctor, patient);
        absorb(vm.getRecordedLogs());
        vm.prank(patient);
        doctors.blockRequests(doctor); // from a pending request: the request goes too
        Vm.Log[] memory logs = vm.getRecordedLogs();
        assertEq(logs.length, 1, "one entry");
        absorb(logs);
        (uint256 info,) = abi.decode(logs[0].data, (uint256, bytes32));
        assertEq((info >> 48) & 0xff, 11, "kind Blocked");
        assertEq(logs[0].topics[2], bytes32(uint256(uint160(doctor))), "subject: the doctor");
        (AccessState state,,) = doctors.grantOf(patient, doctor);
        assertTrue(state == AccessState.Blocked, "blocked");
        vm.prank(doctor);
        vm.expectRevert(abi.encodeWithSelector(DoctorContract.RequestsBlocked.selector, patient, doctor));
        doctors.requestAccess(patient);
        vm.prank(patient);
        vm.expectRevert(abi.encodeWithSelector(DoctorContract.NoPendingRequest.selector, patient, doctor));
        patients.approve(doctor, uint40(block.timestamp + 1 days), envelope(1));
        assertTrue(!doctors.hasAccess(patient, doctor), "no access");
        // the doctor cannot unblock itself
        vm.prank(doctor);
        vm.expectRevert(abi.encodeWithSelector(DoctorContract.NotBlocked.selector, doctor, doctor));
        doctors.unblockRequests(doctor);
        absorb(vm.getRecordedLogs());
        vm.prank(patient);
        doctors.unblockRequests(doctor);
        logs = vm.getRecordedLogs();
        absorb(logs);
        (info,) = abi.decode(logs[0].data, (uint256, bytes32));
        assertEq((info >> 48) & 0xff, 12, "kind Unblocked");
        request(doctor, patient);
        (state,,) = doctors.grantOf(patient, doctor);
        assertTrue(state == AccessState.Requested, "may ask again");
        absorb(vm.getRecordedLogs());
        assertChain(patient);
    }

    function test_blockRequests_refusesAGranteeAndUnblockNeedsABlock() public {
        vm.prank(patient);
        vm.expectRevert(abi.encodeWithSelector(DoctorContract.NotBlocked.selector, patient, doctor));
        doctors.unblockRequests(doctor);
        grant(patient, doctor);
        vm.prank(patient);
        vm.expectRevert(abi.encodeWithSelector(DoctorContract.RevokeFirst.selector, patient, doctor));
        doctors.blockRequests(doctor);
        assertTrue(doctors.hasAccess(patient, doctor), "still approved");
        revokeAccess(patient, doctor);
        vm.prank(patient);
        doctors.blockRequests(doctor); // from nothing (revoked)
        vm.prank(doctor);
        vm.expectRevert(abi.encodeWithSelector(DoctorContract.RequestsBlocked.selector, patient, doctor));
        doctors.requestAccess(patient);
        // a stranger (not a registered patient) has no chain to record a block in
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(AuditContract.UnknownPatient.selector, stranger));
        doctors.blockRequests(doctor);
    }

    // ---------------------------------------------------------------- access log

    function test_logAccess_appendsEntry() public {
        grant(patient, doctor);
        vm.getRecordedLogs();
        vm.prank(doctor);
        doctors.logAccess(patient, bytes32(uint256(0x1234)));
        Vm.Log[] memory logs = vm.getRecordedLogs();
        assertEq(logs.length, 1, "one entry");
        (uint256 info, bytes32 data) = abi.decode(logs[0].data, (uint256, bytes32));
        assertEq(address(uint160(info >> 96)), doctor, "actor");
        assertEq((info >> 48) & 0xff, 10, "kind Accessed");
        assertEq((info >> 56) & type(uint40).max, block.timestamp, "timestamp");
        assertEq(data, bytes32(uint256(0x1234)), "what");
    }

    function test_logAccess_refusesStrangerSuspendedExpiredRevokedDenied() public {
        // stranger
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(DoctorContract.NotVerified.selector, stranger));
        doctors.logAccess(patient, 0);
        // verified, never asked
        vm.prank(doctor);
        vm.expectRevert(abi.encodeWithSelector(DoctorContract.NoActiveGrant.selector, patient, doctor));
        doctors.logAccess(patient, 0);
        // requested, not yet approved
        request(doctor, patient);
        vm.prank(doctor);
        vm.expectRevert(abi.encodeWithSelector(DoctorContract.NoActiveGrant.selector, patient, doctor));
        doctors.logAccess(patient, 0);
        // denied
        vm.prank(patient);
        patients.deny(doctor);
        vm.prank(doctor);
        vm.expectRevert(abi.encodeWithSelector(DoctorContract.NoActiveGrant.selector, patient, doctor));
        doctors.logAccess(patient, 0);
        // suspended with an active grant
        grant(patient, doctor);
        vm.prank(authority);
        doctors.suspendDoctor(doctor);
        vm.prank(doctor);
        vm.expectRevert(abi.encodeWithSelector(DoctorContract.NotVerified.selector, doctor));
        doctors.logAccess(patient, 0);
        vm.prank(authority);
        doctors.verifyDoctor(doctor);
        // revoked
        revokeAccess(patient, doctor);
        vm.prank(doctor);
        vm.expectRevert(abi.encodeWithSelector(DoctorContract.NoActiveGrant.selector, patient, doctor));
        doctors.logAccess(patient, 0);
        // expired
        request(doctor, patient);
        approveAccess(patient, doctor, uint40(block.timestamp + 5));
        vm.prank(doctor);
        doctors.logAccess(patient, 0);
        vm.warp(block.timestamp + 5);
        vm.prank(doctor);
        vm.expectRevert(abi.encodeWithSelector(DoctorContract.NoActiveGrant.selector, patient, doctor));
        doctors.logAccess(patient, 0);
    }

    function testFuzz_grantWindow(uint40 duration, uint40 later) public {
        duration = uint40(bound(duration, 1, 100 * 365 days));
        later = uint40(bound(later, 0, 200 * 365 days));
        request(doctor, patient);
        approveAccess(patient, doctor, uint40(block.timestamp) + duration);
        vm.warp(block.timestamp + later);
        bool active = later < duration;
        assertTrue(doctors.hasAccess(patient, doctor) == active, "hasAccess follows expiry");
        vm.prank(doctor);
        if (!active) vm.expectRevert(abi.encodeWithSelector(DoctorContract.NoActiveGrant.selector, patient, doctor));
        doctors.logAccess(patient, 0);
    }

    // ---------------------------------------------------------------- transitions are PatientContract's

    function testFuzz_transitions_onlyPatientContract(address caller) public {
        vm.assume(caller != address(patients));
        request(doctor, patient);
        vm.startPrank(caller);
        vm.expectRevert(DoctorContract.OnlyPatientContract.selector);
        doctors.approveFor(patient, doctor, type(uint40).max, 1);
        vm.expectRevert(DoctorContract.OnlyPatientContract.selector);
        doctors.denyFor(patient, doctor);
        vm.expectRevert(DoctorContract.OnlyPatientContract.selector);
        doctors.revokeFor(patient, doctor);
        vm.expectRevert(DoctorContract.OnlyPatientContract.selector);
        doctors.grantAtRegistration(patient, doctor, type(uint40).max);
        vm.stopPrank();
        (AccessState state,,) = doctors.grantOf(patient, doctor);
        assertTrue(state == AccessState.Requested, "unchanged");
    }

    function test_transitions_checkState() public {
        vm.startPrank(address(patients));
        vm.expectRevert(abi.encodeWithSelector(DoctorContract.NoPendingRequest.selector, patient, doctor));
        doctors.approveFor(patient, doctor, type(uint40).max, 1);
        vm.expectRevert(abi.encodeWithSelector(DoctorContract.NoPendingRequest.selector, patient, doctor));
        doctors.denyFor(patient, doctor);
        vm.expectRevert(abi.encodeWithSelector(DoctorContract.NotVerified.selector, stranger));
        doctors.grantAtRegistration(patient, stranger, type(uint40).max);
        vm.stopPrank();
    }

    /// revokeFor goes through from every state, and says whether the doctor was a grantee.
    function test_revokeFor_anyState() public {
        vm.startPrank(address(patients));
        assertEq(doctors.revokeFor(patient, doctor), 0, "none: not a grantee");
        vm.stopPrank();
        request(doctor, patient);
        vm.prank(address(patients));
        assertEq(doctors.revokeFor(patient, doctor), 0, "requested: not a grantee");
        grant(patient, doctor);
        vm.prank(address(patients));
        assertEq(doctors.revokeFor(patient, doctor), 1, "approved: a grantee");
        grant(patient, doctor);
        vm.warp(block.timestamp + 366 days);
        request(doctor, patient);
        vm.prank(address(patients));
        assertEq(doctors.revokeFor(patient, doctor), 1, "renewing: a grantee");
        (AccessState state,,) = doctors.grantOf(patient, doctor);
        assertTrue(state == AccessState.None, "cleared");
    }

    function test_views() public {
        assertTrue(!doctors.hasAccess(patient, doctor), "no access yet");
        grant(patient, doctor);
        assertTrue(doctors.hasAccess(patient, doctor), "access");
        (AccessState state, uint40 expiry, uint32 epoch) = doctors.grantOf(patient, doctor);
        assertTrue(state == AccessState.Approved, "approved");
        assertEq(expiry, block.timestamp + 365 days, "expiry");
        assertEq(epoch, 1, "epoch");
        doctors.checkWriter(patient, doctor);
        vm.expectRevert(abi.encodeWithSelector(DoctorContract.NotVerified.selector, stranger));
        doctors.checkWriter(patient, stranger);
        assertEq(address(doctors.AUDIT()), address(audit), "audit wired");
        assertEq(doctors.PATIENTS(), address(patients), "patients wired");
    }
}
