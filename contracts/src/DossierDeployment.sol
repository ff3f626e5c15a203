// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {AuditContract} from "./AuditContract.sol";
import {DoctorContract} from "./DoctorContract.sol";
import {PatientContract} from "./PatientContract.sol";

/// @title DossierDeployment
/// @notice Deploys the three contracts in one transaction. They refer to each other through
/// immutables, so each constructor receives the others' addresses, predicted from this contract's
/// address and creation nonces (a contract's first creation uses nonce 1).
contract DossierDeployment {
    error UnexpectedAddress();

    DoctorContract public immutable DOCTORS;
    PatientContract public immutable PATIENTS;
    AuditContract public immutable AUDIT;

    constructor(address authority) {
        address patients = _created(2);
        address audit = _created(3);
        DoctorContract doctors = new DoctorContract(AuditContract(audit), patients, authority);
        PatientContract patientContract = new PatientContract(AuditContract(audit), doctors);
        AuditContract auditContract = new AuditContract(address(patientContract), address(doctors));
        if (address(patientContract) != patients || address(auditContract) != audit) revert UnexpectedAddress();
        DOCTORS = doctors;
        PATIENTS = patientContract;
        AUDIT = auditContract;
    }

    /// The address of this contract's creation with `nonce` (1..127): keccak(rlp([this, nonce])).
    function _created(uint8 nonce) private view returns (address) {
        return address(uint160(uint256(keccak256(abi.encodePacked(bytes2(0xd694), address(this), nonce)))));
    }
}
