// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {Base} from "./Base.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {AuditContract, EntryKind} from "../src/AuditContract.sol";
import {DossierDeployment} from "../src/DossierDeployment.sol";

contract AuditContractTest is Base {
    address internal patient = address(0xBA7);

    function _append(address from, address p, EntryKind kind, bytes32 subject, bytes32 data) internal {
        vm.prank(from);
        audit.append(p, kind, address(0xAC7), subject, data);
    }

    function test_deployment_wiresTheThreeContracts() public view {
        assertEq(audit.PATIENTS(), address(patients), "patients");
        assertEq(audit.DOCTORS(), address(doctors), "doctors");
        assertEq(doctors.owner(), authority, "authority");
        assertEq(address(deployment.AUDIT()), address(audit), "deployment");
    }

    function test_deployment_needsAnAuthority() public {
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableInvalidOwner.selector, address(0)));
        new DossierDeployment(address(0));
    }

    function test_append_chainsAndEmits() public {
        vm.warp(T0 + 5);
        vm.expectEmit(true, true, false, true, address(audit));
        uint256 info = (uint256(uint160(address(0xAC7))) << 96) | (uint256(T0 + 5) << 56) | 1;
        emit AuditContract.Entry(patient, bytes32(uint256(3)), info, bytes32(uint256(4)));
        _append(address(patients), patient, EntryKind.Registered, bytes32(uint256(3)), bytes32(uint256(4)));
        _append(address(doctors), patient, EntryKind.Requested, bytes32(uint256(5)), 0);
        _append(address(patients), patient, EntryKind.RecordAdded, bytes32(uint256(6)), bytes32(uint256(7)));
        _append(address(doctors), patient, EntryKind.Accessed, bytes32(uint256(8)), bytes32(uint256(9)));
        absorb(vm.getRecordedLogs());
        assertEq(modelSeq[patient], 4, "four entries");
        assertChain(patient);
        // the head is exactly the documented formula
        bytes24 h1 = bytes24(keccak256(abi.encode(bytes24(0), patient, info, bytes32(uint256(3)), bytes32(uint256(4)))));
        (uint64 seq, bytes24 head) = audit.chainOf(address(0xBEEF));
        assertEq(seq, 0, "unknown patient has no chain");
        assertTrue(head == bytes24(0), "unknown head");
        DossierDeployment fresh = new DossierDeployment(authority);
        vm.warp(T0 + 5);
        AuditContract freshAudit = fresh.AUDIT();
        address freshPatients = address(fresh.PATIENTS());
        vm.prank(freshPatients);
        freshAudit.append(patient, EntryKind.Registered, address(0xAC7), bytes32(uint256(3)), bytes32(uint256(4)));
        (, head) = freshAudit.chainOf(patient);
        assertTrue(head == h1, "head_1 formula");
    }

    function testFuzz_append_refusesEveryoneElse(address caller, uint8 k) public {
        vm.assume(caller != address(patients) && caller != address(doctors) && caller != address(vm));
        EntryKind kind = EntryKind(bound(k, 0, uint256(EntryKind.Unblocked)));
        vm.prank(caller);
        vm.expectRevert(abi.encodeWithSelector(AuditContract.NotAuthorized.selector, caller, kind));
        audit.append(patient, kind, caller, 0, 0);
    }

    function test_append_eachContractOnlyItsKinds() public {
        for (uint256 k = 0; k <= uint256(EntryKind.Unblocked); ++k) {
            EntryKind kind = EntryKind(k);
            if (kind == EntryKind.Denied) continue; // both: a patient denies through either contract
            bool doctorKind = kind == EntryKind.Requested || kind == EntryKind.Accessed || kind == EntryKind.Blocked
                || kind == EntryKind.Unblocked;
            address wrong = doctorKind ? address(patients) : address(doctors);
            vm.prank(wrong);
            vm.expectRevert(abi.encodeWithSelector(AuditContract.NotAuthorized.selector, wrong, kind));
            audit.append(patient, kind, address(1), 0, 0);
        }
    }

    /// A kind beyond the last one is not an entry at all (the enum conversion fails).
    function test_append_refusesAnUnknownKind() public {
        vm.prank(address(patients));
        // solhint-disable-next-line avoid-low-level-calls
        (bool ok,) = address(audit).call(
            abi.encodeWithSelector(AuditContract.append.selector, patient, uint256(13), address(1), 0, 0)
        );
        assertTrue(!ok, "kind 13 refused");
    }

    function test_append_firstEntryMustBeRegistration() public {
        vm.prank(address(doctors));
        vm.expectRevert(abi.encodeWithSelector(AuditContract.UnknownPatient.selector, patient));
        audit.append(patient, EntryKind.Requested, address(1), 0, 0);
        vm.prank(address(patients));
        vm.expectRevert(abi.encodeWithSelector(AuditContract.UnknownPatient.selector, patient));
        audit.append(patient, EntryKind.RecordAdded, address(1), 0, 0);
        _append(address(patients), patient, EntryKind.Registered, 0, 0);
        vm.prank(address(patients));
        vm.expectRevert(abi.encodeWithSelector(AuditContract.AlreadyRegistered.selector, patient));
        audit.append(patient, EntryKind.Registered, address(1), 0, 0);
    }

    function test_append_refusesAnOverfullChain() public {
        _append(address(patients), patient, EntryKind.Registered, 0, 0);
        bytes32 slot = keccak256(abi.encode(patient, uint256(0)));
        bytes32 value = vm.load(address(audit), slot);
        vm.store(address(audit), slot, bytes32((uint256(type(uint48).max) << 192) | uint192(uint256(value))));
        vm.prank(address(patients));
        vm.expectRevert(abi.encodeWithSelector(AuditContract.ChainFull.selector, patient));
        audit.append(patient, EntryKind.RecordAdded, address(1), 0, 0);
    }

    function testFuzz_chainMatchesEntries(bytes32[6] memory subjects, bytes32[6] memory datas, uint32 dt) public {
        _append(address(patients), patient, EntryKind.Registered, subjects[0], datas[0]);
        for (uint256 i = 1; i < 6; ++i) {
            vm.warp(block.timestamp + (dt % 1000));
            bool byDoctor = uint256(subjects[i]) % 2 == 0;
            _append(
                byDoctor ? address(doctors) : address(patients),
                patient,
                byDoctor ? EntryKind.Accessed : EntryKind.RecordUpdated,
                subjects[i],
                datas[i]
            );
        }
        absorb(vm.getRecordedLogs());
        assertEq(modelSeq[patient], 6, "six entries");
        assertChain(patient);
    }

    function test_entryKinds_areStable() public pure {
        // The numbering is hashed into every chain: a reorder would break every stored history.
        assertEq(uint256(EntryKind.Registered), 0, "Registered");
        assertEq(uint256(EntryKind.Requested), 2, "Requested");
        assertEq(uint256(EntryKind.Revoked), 5, "Revoked");
        assertEq(uint256(EntryKind.KeyRotated), 6, "KeyRotated");
        assertEq(uint256(EntryKind.Accessed), 10, "Accessed");
        assertEq(uint256(EntryKind.Blocked), 11, "Blocked");
        assertEq(uint256(EntryKind.Unblocked), 12, "Unblocked");
    }
}
