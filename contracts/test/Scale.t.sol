// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {Base} from "./Base.sol";
import {DossierDeployment} from "../src/DossierDeployment.sol";

/// No write does work that grows with the chain: every write costs the same (within 1%) on a
/// deployment holding one patient, doctor, request and record as on one holding 500 of each.
contract ScaleTest is Base {
    uint256 internal constant N = 500;
    uint256 internal constant DOC_KEY = 0xD0C;
    uint256 internal constant NEW_DOC_KEY = 0xD0E;
    uint256 internal constant PAT_KEY = 0xFA7;
    uint256 internal constant NEW_PAT_KEY = 0xFA8;
    uint256 internal constant CONSENT_KEY = 0xFA9;

    string[21] internal names = [
        "registerDoctor", "verifyDoctor", "suspendDoctor", "registerPatient", "registerPatientFor",
        "requestAccess", "approve", "logAccess", "addRecord", "updateRecord", "attachFile", "rotateKey",
        "revoke", "deny", "updateProfile (doctor)", "updateProfile (patient)", "deny (direct)",
        "rotateKey (doctor)", "blockRequests", "unblockRequests", "cancelConsent"
    ];

    function _use(DossierDeployment d) internal {
        deployment = d;
        doctors = d.DOCTORS();
        patients = d.PATIENTS();
        audit = d.AUDIT();
    }

    /// Runs every write once for fresh actors and returns each one's execution gas, measured with
    /// all three contracts' accounts and storage cold, as in a transaction of its own.
    /// Runs every write once for fresh actors and returns each one's execution gas, measured with
    /// all three contracts' accounts and storage cold, as in a transaction of its own.
    function _journey() internal returns (uint256[21] memory g) {
        address doctor = newDoctor(DOC_KEY, true);
        address newDoc = vm.addr(NEW_DOC_KEY);
        bytes memory pub = publicKey(NEW_DOC_KEY);
        g[0] = _measure(newDoc, address(doctors), abi.encodeCall(doctors.registerDoctor, (pub, keccak256("p"))));
        g[1] = _measure(authority, address(doctors), abi.encodeCall(doctors.verifyDoctor, (newDoc)));
        g[2] = _measure(authority, address(doctors), abi.encodeCall(doctors.suspendDoctor, (newDoc)));
        // registered after the suspension, so that its first epoch may seal
        address patient = newPatient(PAT_KEY);
        address newPat = vm.addr(NEW_PAT_KEY);
        pub = publicKey(NEW_PAT_KEY);
        g[3] = _measure(newPat, address(patients), abi.encodeCall(patients.registerPatient, (pub, keccak256("q"), envelope(1))));
        {
            bytes memory pe = envelope(2);
            bytes memory de = envelope(3);
            uint40 expiry = uint40(block.timestamp + 365 days);
            bytes memory sig = consent(CONSENT_KEY, doctor, keccak256("r"), pe, de, expiry, expiry);
            bytes memory cpub = publicKey(CONSENT_KEY);
            g[4] = _measure(
                doctor,
                address(patients),
                abi.encodeCall(
                    patients.registerPatientFor, (vm.addr(CONSENT_KEY), cpub, keccak256("r"), pe, de, expiry, expiry, sig)
                )
            );
        }
        g[5] = _measure(doctor, address(doctors), abi.encodeCall(doctors.requestAccess, (patient)));
        g[6] = _measure(
            patient, address(patients), abi.encodeCall(patients.approve, (doctor, uint40(block.timestamp + 1 days), envelope(4)))
        );
        g[7] = _measure(doctor, address(doctors), abi.encodeCall(doctors.logAccess, (patient, keccak256("w"))));
        g[8] = _measure(doctor, address(patients), abi.encodeCall(patients.addRecord, (patient, 1, keccak256("d1"), 0)));
        (, uint32 id,,,,) = patients.patientOf(patient);
        g[9] = _measure(
            doctor,
            address(patients),
            abi.encodeCall(patients.updateRecord, (patient, id, 1, keccak256("d1"), keccak256("d2"), 0))
        );
        g[10] = _measure(doctor, address(patients), abi.encodeCall(patients.attachFile, (patient, id, 1, keccak256("f"), 0)));
        _keysAndDecisions(g, doctor, patient);
    }

    /// The rest of the journey: rotations, revoke, deny both ways, profiles, blocking, consent.
    function _keysAndDecisions(uint256[21] memory g, address doctor, address patient) internal {
        address[] memory one = new address[](1);
        one[0] = doctor;
        bytes[] memory env = new bytes[](1);
        env[0] = envelope(7);
        g[11] = _measure(
            patient,
            address(patients),
            abi.encodeCall(patients.rotateKey, (patient, epochAt(patient), envelope(5), envelope(8), one, env))
        );
        // A doctor rotates only when the epoch may no longer seal: a suspension elsewhere ends it.
        address suspended = newDoctor(uint256(keccak256("scale: a suspended doctor")), true);
        vm.prank(authority);
        doctors.suspendDoctor(suspended);
        g[17] = _measure(
            doctor,
            address(patients),
            abi.encodeCall(patients.rotateKey, (patient, epochAt(patient), envelope(5), envelope(8), one, env))
        );
        g[12] = _measure(
            patient,
            address(patients),
            abi.encodeCall(
                patients.revoke, (doctor, epochAt(patient), envelope(6), envelope(9), new address[](0), new bytes[](0))
            )
        );
        request(doctor, patient);
        g[13] = _measure(patient, address(patients), abi.encodeCall(patients.deny, (doctor)));
        g[14] = _measure(doctor, address(doctors), abi.encodeCall(doctors.updateProfile, (keccak256("p2"))));
        g[15] = _measure(
            patient, address(patients), abi.encodeCall(patients.updateProfile, (keccak256("q2"), epochOf(patient)))
        );
        request(doctor, patient);
        g[16] = _measure(patient, address(doctors), abi.encodeCall(doctors.deny, (doctor)));
        g[18] = _measure(patient, address(doctors), abi.encodeCall(doctors.blockRequests, (doctor)));
        g[19] = _measure(patient, address(doctors), abi.encodeCall(doctors.unblockRequests, (doctor)));
        g[20] = _measure(patient, address(patients), abi.encodeCall(patients.cancelConsent, (keccak256("consent"))));
    }

    function _measure(address from, address target, bytes memory data) internal returns (uint256 used) {
        vm.cool(address(doctors));
        vm.cool(address(patients));
        vm.cool(address(audit));
        vm.prank(from);
        uint256 before = gasleft();
        // solhint-disable-next-line avoid-low-level-calls
        (bool ok, bytes memory ret) = target.call(data);
        used = before - gasleft();
        if (!ok) {
            assembly {
                revert(add(ret, 0x20), mload(ret))
            }
        }
    }

    function test_writesCostTheSameAt1And500() public {
        uint256[21] memory small = _journey();

        _use(new DossierDeployment(authority));
        address target = newPatient(0x7A7);
        for (uint256 i = 0; i < N; ++i) {
            vm.prank(target);
            patients.addRecord(target, 1, bytes32(i + 1), 0);
        }
        for (uint256 i = 0; i < N; ++i) {
            address d = newDoctor(0x10000 + i, true);
            newPatient(0x20000 + i);
            request(d, target);
        }
        (, uint32 records,,,,) = patients.patientOf(target);
        assertEq(records, N, "500 records");
        uint256[21] memory large = _journey();

        for (uint256 i = 0; i < small.length; ++i) {
            uint256 lo = small[i] < large[i] ? small[i] : large[i];
            uint256 hi = small[i] < large[i] ? large[i] : small[i];
            assertTrue(lo > 2000, string.concat(names[i], ": measured nothing"));
            assertTrue((hi - lo) * 100 <= lo, string.concat(names[i], ": gas differs by more than 1% at 500"));
        }
    }
}
